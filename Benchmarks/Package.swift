// swift-tools-version: 6.1
import PackageDescription

import struct Foundation.URL

// SwiftPM names a path dependency after its directory, which is whatever the clone was called.
let annals = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// The benchmark suites live in their own package so that building and testing Annals never
// builds the benchmark harness. Run them with `make bench` from the repository root.
/// One benchmark suite: an executable under Benchmarks/<name>, run by package-benchmark's plugin.
func suite(_ name: String, using products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark"), "BenchmarkSupport"]
            + products.map { .product(name: $0, package: annals) },
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let annalsLibraries = ["LMDB", "AnnalsLog", "AnnalsProjections", "AnnalsDomain", "AnnalsTimelineProjections", "AnnalsTimeline", "AnnalsCorpus"]

let package = Package(
    name: "AnnalsBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkSupport",
            dependencies: annalsLibraries.map { .product(name: $0, package: annals) },
            path: "Support"
        ),
        suite("LMDBBenchmarks", using: ["LMDB"]),
        suite("LogBenchmarks", using: ["AnnalsLog"]),
        suite("IngestBenchmarks", using: annalsLibraries),
        suite("QueryBenchmarks", using: annalsLibraries),
        suite("AllocationBenchmarks", using: annalsLibraries),
    ]
)
