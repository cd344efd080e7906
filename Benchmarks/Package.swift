// swift-tools-version: 6.1
import PackageDescription

import struct Foundation.URL

// SwiftPM names a path dependency after its directory, which is whatever the clone was called.
let annals = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// The benchmark suites live in their own package so that building and testing Annals never
// builds the benchmark harness. Run them with `make bench` from the repository root.
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
            dependencies: [
                .product(name: "LMDB", package: annals),
                .product(name: "AnnalsLog", package: annals),
                .product(name: "AnnalsTimeline", package: annals),
                .product(name: "AnnalsCorpus", package: annals),
            ],
            path: "Support"
        ),
        .executableTarget(
            name: "LMDBBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LMDB", package: annals),
            ],
            path: "Benchmarks/LMDBBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LogBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "AnnalsLog", package: annals),
                "BenchmarkSupport",
            ],
            path: "Benchmarks/LogBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "IngestBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "AnnalsLog", package: annals),
                .product(name: "AnnalsTimeline", package: annals),
                .product(name: "AnnalsCorpus", package: annals),
                .product(name: "LMDB", package: annals),
                "BenchmarkSupport",
            ],
            path: "Benchmarks/IngestBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "QueryBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "AnnalsLog", package: annals),
                .product(name: "AnnalsTimeline", package: annals),
                .product(name: "AnnalsCorpus", package: annals),
                .product(name: "LMDB", package: annals),
                "BenchmarkSupport",
            ],
            path: "Benchmarks/QueryBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "AllocationBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "AnnalsLog", package: annals),
                .product(name: "AnnalsTimeline", package: annals),
                .product(name: "AnnalsCorpus", package: annals),
                .product(name: "LMDB", package: annals),
                "BenchmarkSupport",
            ],
            path: "Benchmarks/AllocationBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
