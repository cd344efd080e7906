// swift-tools-version: 6.1
import PackageDescription

// Layers point down only: CLMDB, AnnalsPlatform (over CAllocator) ← LMDB ← AnnalsLog (over CSHA256) ← AnnalsProjections;
// AnnalsLog, CTextScan ← AnnalsDomain (the model and its event records, no LMDB);
// AnnalsDomain, AnnalsProjections ← AnnalsTimelineProjections (the built-in projections and their readers)
// ← AnnalsTimeline (ingest and queries) ← AnnalsNATS (the log on a JetStream stream, over CNats) ← AnnalsCLI (with `annals serve` on Hummingbird) ← annals.
let package = Package(
    name: "Annals",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LMDB", targets: ["LMDB"]),
        .library(name: "AnnalsLog", targets: ["AnnalsLog"]),
        .library(name: "AnnalsProjections", targets: ["AnnalsProjections"]),
        .library(name: "AnnalsDomain", targets: ["AnnalsDomain"]),
        .library(name: "AnnalsTimelineProjections", targets: ["AnnalsTimelineProjections"]),
        .library(name: "AnnalsTimeline", targets: ["AnnalsTimeline"]),
        .library(name: "AnnalsCorpus", targets: ["AnnalsCorpus"]),
        .library(name: "AnnalsNATS", targets: ["AnnalsNATS"]),
        .executable(name: "annals", targets: ["annals"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // NATS's official C client, for the log on a JetStream stream (AnnalsNATS).
        .systemLibrary(
            name: "CNats",
            pkgConfig: "libnats",
            providers: [.apt(["libnats-dev"])]
        ),
        // The system calls, in one place: no other module imports the C library.
        .target(name: "AnnalsPlatform", dependencies: ["CAllocator"]),
        // The C library allocator's settings, which no Swift module of the C library exposes.
        .target(name: "CAllocator"),
        // Byte scanning with the machine's vector instructions, for JSON output.
        .target(name: "CTextScan"),
        // SHA-256 without an allocation per hash, from the system's libcrypto (Debian's `libssl-dev`).
        .target(name: "CSHA256", linkerSettings: [.linkedLibrary("crypto")]),
        .target(name: "LMDB", dependencies: ["CLMDB", "AnnalsPlatform"]),
        .target(name: "AnnalsLog", dependencies: ["LMDB", "AnnalsPlatform", "CSHA256"]),
        .target(name: "AnnalsProjections", dependencies: ["AnnalsLog", "LMDB"]),
        .target(name: "AnnalsDomain", dependencies: ["AnnalsLog", "CTextScan"]),
        .target(name: "AnnalsTimelineProjections", dependencies: ["AnnalsDomain", "AnnalsProjections", "AnnalsLog", "LMDB", "AnnalsPlatform"]),
        .target(
            name: "AnnalsTimeline",
            dependencies: [
                "AnnalsTimelineProjections", "AnnalsDomain", "AnnalsProjections", "AnnalsLog", "LMDB", "AnnalsPlatform",
                .product(name: "Yams", package: "Yams"),
            ],
            // The drafter's word lists, compiled into the module as bytes (`PackageResources`).
            resources: [.embedInCode("Draft/Lexicon")]
        ),
        .target(name: "AnnalsNATS", dependencies: ["CNats", "AnnalsTimeline", "AnnalsDomain", "AnnalsLog", "LMDB", "AnnalsPlatform"]),
        .target(name: "AnnalsCorpus", dependencies: ["AnnalsTimeline", "AnnalsDomain", "AnnalsLog", "AnnalsPlatform"]),
        .executableTarget(
            name: "annals-corpus",
            dependencies: ["AnnalsCorpus", "AnnalsPlatform", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(
            name: "AnnalsCLI",
            dependencies: [
                "AnnalsCorpus", "AnnalsNATS", "AnnalsTimeline", "AnnalsTimelineProjections", "AnnalsDomain", "AnnalsProjections", "AnnalsLog", "LMDB", "AnnalsPlatform", "CTextScan",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(name: "annals", dependencies: ["AnnalsCLI", "AnnalsPlatform"]),
        .executableTarget(
            name: "annals-harness",
            dependencies: [
                "AnnalsTimeline", "AnnalsDomain", "AnnalsCorpus", "AnnalsProjections", "AnnalsLog", "LMDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .target(name: "AnnalsTestSupport", path: "Tests/Support"),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB", "AnnalsTestSupport"]),
        .testTarget(name: "AnnalsPlatformTests", dependencies: ["AnnalsPlatform", "AnnalsTestSupport"]),
        .testTarget(
            name: "AnnalsLogTests",
            dependencies: ["AnnalsLog", "LMDB", "AnnalsTestSupport", "annals-harness", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "AnnalsProjectionsTests", dependencies: ["AnnalsProjections", "AnnalsLog", "LMDB", "AnnalsTestSupport"]),
        .testTarget(
            name: "AnnalsCLITests",
            dependencies: ["AnnalsCLI", "AnnalsTimeline", "AnnalsProjections", "AnnalsDomain", "AnnalsTimelineProjections", "AnnalsCorpus", "AnnalsLog", "LMDB", "AnnalsTestSupport", "annals"],
            exclude: ["Golden", "Browser"]
        ),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: ["AnnalsTestSupport", "AnnalsLog", "LMDB", "annals", "annals-harness", "annals-corpus"]
        ),
        .testTarget(
            name: "AnnalsTimelineTests",
            dependencies: ["AnnalsTimeline", "AnnalsTimelineProjections", "AnnalsDomain", "AnnalsProjections", "AnnalsLog", "LMDB", "CTextScan", "AnnalsTestSupport"]
        ),
    ]
)

// Strict settings for every Swift target, in one place.
for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InferIsolatedConformances"),
    ]
}
