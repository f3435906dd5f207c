// swift-tools-version: 6.1
import PackageDescription

/// Hummingbird's hygiene settings: explicit `any`, imports visible only where declared,
/// and internal imports unless a target re-exports on purpose.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Tests keep explicit `any` but may lean on transitive imports: they are not API.
let testSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

/// `ARCHESTRA_FUZZ_BUILD=1` (set only by `scripts/fuzz`, with its own `--scratch-path`) adds the
/// libFuzzer executable `archestra-fuzz` and instruments archestra's own modules for it: coverage
/// for libFuzzer and AddressSanitizer. Dependencies stay uninstrumented. Unset, the package is
/// exactly the one `swift build` and `swift test` know.
let fuzzBuild = Context.environment["ARCHESTRA_FUZZ_BUILD"] == "1"
let fuzzFlags: [SwiftSetting] = fuzzBuild ? [.unsafeFlags(["-sanitize=fuzzer,address"])] : []

let package = Package(
    name: "archestra",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "archestra", targets: ["archestra"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP over HTTP only: the gRPC exporter would build grpc-swift for nothing.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // Wire formats shared by the proxy, the emulators and the recorder: SSE framing,
        // provider JSON models and error bodies. Nothing here does I/O.
        .target(
            name: "WireFormats",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // The gateway's state: profiles, provider keys, virtual keys, OAuth clients, behind the
        // `GatewayStore` protocol (SQLite through GRDB embedded), secrets encrypted at rest, and
        // the in-memory directory the hot path reads. No HTTP here.
        .target(
            name: "Gateway",
            dependencies: [
                "WireFormats",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The admin HTTP API under /api/ (profiles, LLM proxies, provider keys, virtual keys,
        // OAuth clients, the OAuth token endpoint, the OpenAPI document) and the admin token.
        // The CLI shares its resource JSON and its checks (`GatewayAdministration`).
        .target(
            name: "AdminAPI",
            dependencies: [
                "Gateway", "WireFormats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The document's source and its embedding script; the binary carries the text
            // compiled in (OpenAPI/AdminOpenAPIDocument+Text.swift), so it stays one file.
            exclude: ["OpenAPI/openapi.json", "OpenAPI/embed-openapi.sh"],
            swiftSettings: strictSettings
        ),
        // The model router's translators: typed OpenAI and native request/response models and pure
        // translators between them, one folder per target dialect. No I/O; JSON values and error
        // bodies come from WireFormats, the one copy the proxy and emulators also use. Only
        // Proxy imports it: the emulators stay an independent oracle of each dialect.
        .target(
            name: "RouterTranslation",
            dependencies: ["WireFormats"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Proxy",
            dependencies: [
                "WireFormats", "Gateway", "AdminAPI", "RouterTranslation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                // `serve --config`: the YAML configuration file.
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MockProviders",
            dependencies: [
                "WireFormats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // The system zlib, for reading the gzip'd bodies cassettes keep byte-exact.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "Recorder",
            dependencies: [
                "WireFormats", "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "archestra",
            dependencies: [
                "Proxy", "MockProviders", "Recorder", "Gateway", "WireFormats", "AdminAPI", "CassetteTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // `archestra cassette test`: a cassette's upstream leg replayed behind an in-process
        // `archestra serve`, each recorded request sent as a client would, the answers compared.
        // The end-to-end suite runs the same code over Cassettes/.
        .target(
            name: "CassetteTesting",
            dependencies: [
                "Proxy", "Gateway", "Recorder", "WireFormats", "TestSupport", "MockProviders",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // What the test suites (and the cassette test runner) share: a service group run for the length of a test, its port
        // reported through `onServerRunning`, shut down gracefully after.
        .target(
            name: "TestSupport",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AdminAPITests",
            dependencies: [
                "AdminAPI", "Gateway", "WireFormats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "RouterTranslationTests",
            dependencies: ["RouterTranslation", "WireFormats", "TestSupport"],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: ["Gateway", "WireFormats"],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "WireFormatsTests",
            dependencies: ["WireFormats", "TestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "ProxyTests",
            dependencies: [
                "Proxy", "WireFormats", "MockProviders", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                // The deployment manifests under deploy/, parsed as Kubernetes would.
                .product(name: "Yams", package: "Yams"),
            ],
            // The model router's golden matrix, read at run time from the source tree.
            exclude: ["ModelRouter/Golden"],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "MockProvidersTests",
            dependencies: [
                "MockProviders", "WireFormats", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: testSettings
        ),
        // Proxy + emulators + cassettes together: committed cassettes replayed through
        // `archestra serve`, and record-then-replay round trips through the emulator.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Proxy", "Recorder", "MockProviders", "WireFormats", "TestSupport", "CassetteTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "RecorderTests",
            dependencies: [
                "Recorder", "WireFormats", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: testSettings
        ),
    ]
)

if fuzzBuild {
    // Our modules carry the instrumentation; dependencies do not (they would only slow the runs).
    for target in package.targets where ["WireFormats", "RouterTranslation", "Proxy", "Recorder", "MockProviders"].contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + fuzzFlags
    }
    package.products.append(.executable(name: "archestra-fuzz", targets: ["ArchestraFuzz"]))
    package.targets.append(
        .executableTarget(
            name: "ArchestraFuzz",
            dependencies: [
                "WireFormats", "RouterTranslation", "Proxy", "Recorder", "Gateway", "MockProviders",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Fuzz/ArchestraFuzz",
            // No top-level code: FuzzEntry.swift defines the entry point SwiftPM links as `main`
            // and hands it to libFuzzer's driver (`@_extern(c)`). lld, because gold fails on the
            // instrumented objects.
            swiftSettings: strictSettings + fuzzFlags + [.unsafeFlags(["-parse-as-library"]), .enableExperimentalFeature("Extern")],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]
        )
    )
}
