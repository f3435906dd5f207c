import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Testing

/// `/v1/gemini[/<profile>]/...`: v1beta and v1 paths, the key from `x-goog-api-key` or `?key=`
/// (never logged), streams passed byte for byte, errors as `google.rpc.Status`.
@Suite(.timeLimit(.minutes(1)))
struct GeminiRouteTests {
    static func environment(_ port: Int, fallback: String? = nil) -> [String: String] {
        var environment = ["ARCHESTRA_GEMINI_BASE_URL": "http://127.0.0.1:\(port)"]
        if let fallback { environment["ARCHESTRA_CHAT_GEMINI_API_KEY"] = fallback }
        return environment
    }

    @Test("x-goog-api-key and ?key= go upstream as sent; the fallback goes as x-goog-api-key; v1 and v1beta both route")
    func keysForwarded() async throws {
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            try await withProxy(upstreamPort: port, environment: Self.environment(port, fallback: "fallback-gemini")) { proxy in
                try await withTestClient { client in
                    let header = try await ForwardingTests.echo(of: try await client.execute(
                        nativeRequest("\(proxy)/v1/gemini/v1beta/models/gemini-2.5-flash:generateContent", json: #"{"contents":[]}"#, headers: [("x-goog-api-key", "AIza-client")]),
                        timeout: .seconds(10)
                    ))
                    #expect(header.path == "/v1beta/models/gemini-2.5-flash:generateContent")
                    #expect(header.headers["x-goog-api-key"] == ["AIza-client"])

                    let query = try await ForwardingTests.echo(of: try await client.execute(
                        nativeRequest("\(proxy)/v1/gemini/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AIza-query", json: #"{"contents":[]}"#),
                        timeout: .seconds(10)
                    ))
                    #expect(query.path == "/v1/models/gemini-2.5-flash:streamGenerateContent")
                    #expect(query.query == "alt=sse&key=AIza-query")
                    #expect(query.headers["x-goog-api-key"] == nil)

                    let fallback = try await ForwardingTests.echo(of: try await client.execute(
                        nativeRequest("\(proxy)/v1/gemini/v1beta/models/gemini-embedding-001:batchEmbedContents", json: #"{"requests":[]}"#),
                        timeout: .seconds(10)
                    ))
                    #expect(fallback.headers["x-goog-api-key"] == ["fallback-gemini"])
                }
            }
        }
    }

    @Test("the request log names the model from the path and never contains a ?key= value")
    func queryKeyNeverLogged() async throws {
        let (logger, logs) = capturingLogger()
        try await withUpstream(ForwardingTests.echoUpstream) { port in
            try await withProxy(upstreamPort: port, environment: Self.environment(port), logger: logger) { proxy in
                try await withTestClient { client in
                    _ = try await client.execute(
                        nativeRequest("\(proxy)/v1/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AIza-secret-in-query", json: #"{"contents":[]}"#),
                        timeout: .seconds(10)
                    )
                }
            }
        }
        let line = try #require(requestLogLines(logs).first)
        #expect(line.metadata["archestra.model"] == "gemini-2.5-flash")
        #expect(line.metadata["archestra.stream"]?.description == "true")
        #expect(line.metadata["archestra.path"] == "/v1beta/models/gemini-2.5-flash:streamGenerateContent")
        for entry in logs.entries {
            #expect(!"\(entry.message) \(entry.metadata)".contains("AIza-secret"))
        }
    }

    @Test("an alt=sse stream and a JSON-array stream reach the client byte for byte", arguments: [1, 5, 4096])
    func streamsPassThrough(chunkSize: Int) async throws {
        let sse = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hi\"}],\"role\": \"model\"}}]}\r\n\r\ndata: {\"usageMetadata\": {\"promptTokenCount\": 3}}\r\n\r\n"
        let array = "[{\n  \"candidates\": []\n}\n,\r\n{\n  \"usageMetadata\": {\"promptTokenCount\": 3}\n}\n]"
        for (body, contentType, query) in [(sse, "text/event-stream", "?alt=sse"), (array, "application/json; charset=UTF-8", "")] {
            let chunks = stride(from: 0, to: body.utf8.count, by: chunkSize).map { start in
                String(decoding: Array(body.utf8)[start..<min(start + chunkSize, body.utf8.count)], as: UTF8.self)
            }
            try await withUpstream(cannedUpstream(path: "/v1beta/models/{target}", contentType: contentType, chunks: chunks)) { port in
                try await withProxy(upstreamPort: port, environment: Self.environment(port)) { proxy in
                    try await withTestClient { client in
                        let response = try await client.execute(
                            nativeRequest("\(proxy)/v1/gemini/v1beta/models/m:streamGenerateContent\(query)", json: #"{"contents":[]}"#, headers: [("x-goog-api-key", "k")]),
                            timeout: .seconds(10)
                        )
                        #expect(try await response.bodyText() == body)
                    }
                }
            }
        }
    }

    @Test("proxy-made errors are google.rpc.Status bodies; a mid-stream failure is one data: error event")
    func errorsInGoogleShape() async throws {
        try await withUpstream(failingUpstream(path: "/v1beta/models/{target}", contentType: "text/event-stream", first: "data: {\"candidates\": []}\r\n\r\ndata: {\"cut")) { port in
            try await withProxy(upstreamPort: port, environment: Self.environment(port)) { proxy in
                try await withTestClient { client in
                    let noKey = try await client.execute(
                        nativeRequest("\(proxy)/v1/gemini/v1beta/models/m:generateContent", json: "{}"), timeout: .seconds(10)
                    )
                    #expect(noKey.status == .unauthorized)
                    let body = try JSONSerialization.jsonObject(with: Data(try await noKey.bodyText().utf8)) as? [String: Any]
                    let error = body?["error"] as? [String: Any]
                    #expect(error?["code"] as? Int == 401)
                    #expect(error?["status"] as? String == "UNAUTHENTICATED")
                    #expect(error?["message"] is String)

                    let unknown = try await client.execute(
                        nativeRequest("\(proxy)/v1/gemini/v1beta/models/m:generateContent", json: "[1,", headers: [("x-goog-api-key", "k")]),
                        timeout: .seconds(10)
                    )
                    #expect(unknown.status == .badRequest)
                    #expect(try await unknown.bodyText().contains(#""status":"INVALID_ARGUMENT""#))

                    let stream = try await client.execute(
                        nativeRequest("\(proxy)/v1/gemini/v1beta/models/m:streamGenerateContent?alt=sse", json: "{}", headers: [("x-goog-api-key", "k")]),
                        timeout: .seconds(10)
                    )
                    let text = try await stream.bodyText()
                    #expect(text.hasPrefix("data: {\"candidates\": []}\r\n\r\ndata: {\"error\":{\"code\":502,"))
                    #expect(text.hasSuffix("\"status\":\"UNAVAILABLE\"}}\r\n\r\n"))
                    #expect(!text.contains("cut"))
                }
            }
        }
    }
}
