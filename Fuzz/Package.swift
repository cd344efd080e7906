// swift-tools-version: 6.1
import PackageDescription

import struct Foundation.URL

// libFuzzer targets, kept out of the main build: tools/fuzz builds them with
// -sanitize=fuzzer and runs them on the seed corpus in Tests/FuzzCorpus.

// SwiftPM names a path dependency after its directory, which is whatever the clone was called.
let annals = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let targets = ["FuzzEventDecoder", "FuzzJSONLines", "FuzzFactFile", "FuzzFields"]

let package = Package(
    name: "AnnalsFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../")],
    targets: targets.map { name in
        .executableTarget(
            name: name,
            dependencies: [.product(name: "AnnalsTimeline", package: annals), .product(name: "AnnalsLog", package: annals)],
            path: "Targets/\(name)")
    }
)
