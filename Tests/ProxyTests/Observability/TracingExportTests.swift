import AsyncHTTPClient
import Foundation
import Gateway
import Hummingbird
import MockProviders
import NIOCore
import Proxy
import Testing
import TestSupport

/// OpenTelemetry export: a tiny OTLP/HTTP collector in the test receives the proxy's spans (as
/// OTLP JSON) and checks the GenAI attributes and the parent from the client's `traceparent`.
@Suite(.timeLimit(.minutes(1)))
struct TracingExportTests {
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let parentSpanID = "00f067aa0ba902b7"

    @Test("one CLIENT span per request: \"chat <model>\", gen_ai.* attributes, usage, status, profile, parented from traceparent")
    func spanWithGenAIAttributes() async throws {
        try await withCollector { collectorPort, batches in
            try await withTracedProxy(collectorPort: collectorPort) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(
                        openAIRequest(
                            "\(proxy)/v1/openai/chat/completions", json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"trace me"}]}"#,
                            key: OpenAIEmulator.apiKey, headers: [("traceparent", "00-\(Self.traceID)-\(Self.parentSpanID)-01")]),
                        timeout: .seconds(10))
                    #expect(response.status == .ok)
                    let body = try JSONSerialization.jsonObject(with: Data(try await response.bodyText().utf8)) as? [String: Any]
                    let usage = try #require(body?["usage"] as? [String: Any])

                    let span = try #require(try await Self.nextSpan(from: batches))
                    #expect(span.name == "chat gpt-4o-mini")
                    #expect(span.kind == 3)  // SPAN_KIND_CLIENT
                    #expect(span.traceID == Self.traceID)
                    #expect(span.parentSpanID == Self.parentSpanID)
                    #expect(span.attributes["gen_ai.operation.name"] == "chat")
                    #expect(span.attributes["gen_ai.provider.name"] == "openai")
                    #expect(span.attributes["gen_ai.system"] == "openai")
                    #expect(span.attributes["gen_ai.request.model"] == "gpt-4o-mini")
                    #expect(span.attributes["gen_ai.usage.input_tokens"] == "\(usage["prompt_tokens"] as? Int ?? -1)")
                    #expect(span.attributes["gen_ai.usage.output_tokens"] == "\(usage["completion_tokens"] as? Int ?? -1)")
                    #expect(span.attributes["http.response.status_code"] == "200")
                    #expect(span.attributes["archestra.profile_id"]?.count == 36)
                    #expect(span.attributes.values.allSatisfy { !$0.contains(OpenAIEmulator.apiKey) })
                    // Started when the request arrived, not when it was exported.
                    #expect(span.startNanos > 0 && span.startNanos <= span.endNanos)
                }
            }
        }
    }

    @Test("without traceparent a span starts a new trace; an error answer marks the span with error.type")
    func rootSpanAndError() async throws {
        try await withCollector { collectorPort, batches in
            try await withTracedProxy(collectorPort: collectorPort) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(
                        openAIRequest("\(proxy)/v1/openai/embeddings", json: #"{"model":"text-embedding-3-small","input":"x"}"#, key: "sk-wrong"),
                        timeout: .seconds(10))
                    #expect(response.status == .unauthorized)
                    _ = try await response.bodyText()
                    let span = try #require(try await Self.nextSpan(from: batches))
                    #expect(span.name == "embeddings text-embedding-3-small")
                    #expect(span.parentSpanID == "")
                    #expect(span.traceID.count == 32 && span.traceID != Self.traceID)
                    #expect(span.attributes["http.response.status_code"] == "401")
                    #expect(span.attributes["error.type"] != nil)
                    #expect(span.statusCode == 2)  // STATUS_CODE_ERROR
                }
            }
        }
    }

    // MARK: Support

    struct ExportedSpan {
        var name: String
        var kind: Int
        var traceID: String
        var parentSpanID: String
        var attributes: [String: String]
        var startNanos: UInt64
        var endNanos: UInt64
        var statusCode: Int
    }

    /// The first span of the next export.
    static func nextSpan(from batches: AsyncStream<Data>) async throws -> ExportedSpan? {
        for await batch in batches {
            let root = try #require(try JSONSerialization.jsonObject(with: batch) as? [String: Any])
            for resource in root["resourceSpans"] as? [[String: Any]] ?? [] {
                for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                    for span in scope["spans"] as? [[String: Any]] ?? [] {
                        var attributes: [String: String] = [:]
                        for attribute in span["attributes"] as? [[String: Any]] ?? [] {
                            guard let key = attribute["key"] as? String, let value = attribute["value"] as? [String: Any], let first = value.first else { continue }
                            attributes[key] = "\(first.value)"
                        }
                        return ExportedSpan(
                            name: span["name"] as? String ?? "",
                            kind: span["kind"] as? Int ?? 0,
                            traceID: Self.hex(span["traceId"] as? String ?? ""),
                            parentSpanID: Self.hex(span["parentSpanId"] as? String ?? ""),
                            attributes: attributes,
                            startNanos: UInt64(span["startTimeUnixNano"] as? String ?? "") ?? 0,
                            endNanos: UInt64(span["endTimeUnixNano"] as? String ?? "") ?? 0,
                            statusCode: (span["status"] as? [String: Any])?["code"] as? Int ?? 0
                        )
                    }
                }
            }
        }
        return nil
    }

    /// OTLP JSON ids: hex per the OTLP spec, or base64 (protobuf's JSON mapping of bytes).
    static func hex(_ id: String) -> String {
        if id.isEmpty || (id.count % 16 == 0 && id.allSatisfy(\.isHexDigit)) { return id.lowercased() }
        guard let bytes = Data(base64Encoded: id) else { return id }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// A tiny OTLP/HTTP collector: every `POST /v1/traces` body, in order.
func withCollector<Value: Sendable>(_ body: (_ port: Int, _ batches: AsyncStream<Data>) async throws -> Value) async throws -> Value {
    let (batches, received) = AsyncStream<Data>.makeStream()
    return try await withRunningServices({ reportPort in
        let router = Router()
        router.post("/v1/traces") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 4 << 20)
            received.yield(Data(buffer: bytes))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
        }
        return [
            Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { await reportPort($0.localAddress?.port ?? 0) }, logger: quietLogger)
        ]
    }) { port in
        try await body(port, batches)
    }
}

/// The OpenAI emulator and the proxy in front of it, exporting spans to the collector as OTLP
/// JSON with a short batch delay.
func withTracedProxy<Value: Sendable>(collectorPort: Int, _ body: (_ proxy: String) async throws -> Value) async throws -> Value {
    try await withRunningService({ reportPort in
        MockProviderServer(host: "127.0.0.1", basePort: 0, emulators: [OpenAIEmulator.declaration], logger: quietLogger) { endpoints in
            await reportPort(endpoints.first { $0.provider == "openai" }?.port ?? 0)
        }
    }) { emulatorPort, _ in
        let environment = [
            "ARCHESTRA_OPENAI_BASE_URL": "http://127.0.0.1:\(emulatorPort)/v1",
            "ARCHESTRA_DATABASE_URL": "sqlite::memory:",
            "ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS": "0",
            "ARCHESTRA_OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collectorPort)",
            "ARCHESTRA_OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
            "ARCHESTRA_OTEL_BATCH_DELAY_MS": "50",
        ]
        let configuration = try ProxyConfiguration(environment: environment, host: "127.0.0.1", port: 0)
        let gateway = try await GatewayRuntime.open(configuration: configuration, logger: quietLogger)
        return try await withRunningServices({ reportPort in
            [ProxyService(configuration: configuration, gateway: gateway, logger: quietLogger, onServerRunning: reportPort)]
        }) { port in
            try await body("http://127.0.0.1:\(port)")
        }
    }
}
