// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "lantian",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lantian", targets: ["lantian"])
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Pure: pollutants, units, AQI (HJ 633), validity and averaging (GB 3095), assessment (HJ 663).
        .target(name: "AirQuality"),
        // The HJ 212 wire protocol; depends on NIOCore only.
        .target(
            name: "HJ212",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        // The system zlib, for the thumbnailer's PNG inflate/deflate and CRC-32.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Pure: evidence-photo thumbnails (JPEG and PNG in, PNG out) in Swift; only zlib beneath it.
        .target(name: "Imaging", dependencies: ["CZlib"]),
        // Pure domain: regions, units, stations, people, roles, workflows. No I/O.
        .target(name: "Campaign", dependencies: ["AirQuality"]),
        // Pure ingest: the reading model, validation and units, file formats, HJ 212 packets ⇄ readings.
        .target(name: "Ingest", dependencies: ["AirQuality", "HJ212", "Campaign"]),
        // Fluent models, migrations, repositories. The only room that knows Fluent.
        .target(
            name: "Store",
            dependencies: [
                "Campaign", "AirQuality", "Ingest",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The Vapor edge: configuration, routes, pages, metrics, services.
        .target(
            name: "Server",
            dependencies: [
                "AirQuality", "HJ212", "Campaign", "Ingest", "Store", "Imaging",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // libFuzzer harness for the HJ 212 parser: scripts/fuzz-hj212.sh builds it with --sanitize=fuzzer.
        .executableTarget(name: "HJ212Fuzz", dependencies: ["HJ212", "HJ212Fuzzing"], path: "Fuzz/HJ212Fuzz"),
        // The properties every input must satisfy and a structure-aware mutator, shared by the
        // libFuzzer harness and the seeded property test in HJ212Tests.
        .target(name: "HJ212Fuzzing", dependencies: ["HJ212"], path: "Fuzz/HJ212Fuzzing"),
        // Thin @main: subcommands.
        .executableTarget(
            name: "lantian",
            dependencies: [
                "AirQuality", "Server", "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared test helpers: per-test databases on SQLite and PostgreSQL, fixture paths.
        .target(
            name: "LantianTestSupport",
            dependencies: [
                "Store",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support"
        ),
        .testTarget(name: "AirQualityTests", dependencies: ["AirQuality"]),
        .testTarget(
            name: "HJ212Tests",
            dependencies: [
                "HJ212", "HJ212Fuzzing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "CampaignTests", dependencies: ["Campaign"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "HJ212", "AirQuality"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "LantianTestSupport"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "LantianTestSupport", "Ingest", "HJ212", "Campaign",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "lantianTests", dependencies: ["lantian", "LantianTestSupport"]),
    ]
)
