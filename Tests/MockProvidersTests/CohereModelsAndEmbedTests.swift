import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

@Suite("Cohere emulator: models, embed, thinking and images")
struct CohereModelsAndEmbedTests {
    typealias Support = NativeEmulatorSupport
    static let key = CohereEmulatorTests.key

    static func get(_ client: some TestClientProtocol, _ path: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: Support.fields(Self.key))
    }

    @Test("GET /v1/models filters by endpoint and default_only, and pages with page_size / page_token")
    func models() async throws {
        try await Support.application(CohereEmulator.makeRouter()).test(.router) { client in
            let all = try Support.json(try await Self.get(client, "/v1/models"))
            let names = all["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names.contains("command-a-03-2025") && names.contains("embed-v4.0") && names.contains("command-r7b-12-2024"))
            #expect(all["next_page_token"] == nil)
            let first = try #require(all["models"]?.arrayValue?.first)
            #expect(EmulatorTestSupport.keys(first).isSuperset(of: ["name", "endpoints", "finetuned", "context_length", "tokenizer_url", "default_endpoints", "features"]))

            let embed = try Support.json(try await Self.get(client, "/v1/models?endpoint=embed"))
            let embedNames = embed["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(embedNames == ["embed-v4.0", "embed-english-v3.0", "embed-multilingual-v3.0", "embed-english-light-v3.0"])
            let defaults = try Support.json(try await Self.get(client, "/v1/models?endpoint=chat&default_only=true"))
            #expect(defaults["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["command-a-03-2025"])

            var token: String?
            var paged: [String] = []
            repeat {
                let path = "/v1/models?page_size=4" + (token.map { "&page_token=\($0)" } ?? "")
                let page = try Support.json(try await Self.get(client, path))
                paged += page["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                token = page["next_page_token"]?.stringValue
            } while token != nil
            #expect(paged == names)

            #expect(try await Self.get(client, "/v1/models?endpoint=dance").status == .badRequest)
            #expect(try await Self.get(client, "/v1/models?page_token=nonsense").status == .badRequest)
            let one = try Support.json(try await Self.get(client, "/v1/models/embed-english-v3.0"))
            #expect(one["endpoints"] == ["embed"])
            let missing = try await Self.get(client, "/v1/models/no-such-model")
            #expect(missing.status == .notFound)
            #expect(try Support.json(missing)["message"]?.stringValue?.contains("no-such-model") == true)
        }
    }

    @Test("v2 embed answers embeddings_by_type for every requested type, deterministically")
    func embedV2() async throws {
        try await Support.application(CohereEmulator.makeRouter()).test(.router) { client in
            let request: JSONValue = [
                "model": "embed-v4.0", "texts": ["hello world", "bye"], "input_type": "search_document",
                "embedding_types": ["float", "int8", "uint8", "binary", "ubinary", "base64"], "output_dimension": 256,
            ]
            let body = try Support.json(try await Support.post(client, "/v2/embed", request, headers: Self.key))
            #expect(body["response_type"] == "embeddings_by_type")
            #expect(body["texts"] == ["hello world", "bye"])
            #expect(body["meta"]?["api_version"]?["version"] == "2")
            #expect(body["meta"]?["billed_units"]?["input_tokens"] == 3)
            let floats = try #require(body["embeddings"]?["float"]?.arrayValue)
            #expect(floats.count == 2 && floats[0].arrayValue?.count == 256)
            #expect(body["embeddings"]?["int8"]?.arrayValue?[0].arrayValue?.allSatisfy { ($0.intValue ?? 999) >= -128 && ($0.intValue ?? 999) <= 127 } == true)
            #expect(body["embeddings"]?["ubinary"]?.arrayValue?[0].arrayValue?.count == 32)
            #expect(body["embeddings"]?["base64"]?.arrayValue?[0].stringValue.flatMap { Data(base64Encoded: $0) }?.count == 256 * 4)
            let again = try Support.json(try await Support.post(client, "/v2/embed", request, headers: Self.key))
            #expect(again["embeddings"]?["float"] == body["embeddings"]?["float"])

            let inputs = try Support.json(try await Support.post(client, "/v2/embed", [
                "model": "embed-v4.0", "input_type": "search_document",
                "inputs": [["content": [["type": "text", "text": "a cat"], ["type": "image_url", "image_url": ["url": "data:image/png;base64,iVBORw0KGgo="]]]]],
            ], headers: Self.key))
            #expect(inputs["embeddings"]?["float"]?.arrayValue?.count == 1)
            #expect(inputs["embeddings"]?["float"]?.arrayValue?[0].arrayValue?.count == 1536)
        }
    }

    @Test("v1 embed answers embeddings_floats without embedding_types; bad input gets Cohere's errors")
    func embedV1AndErrors() async throws {
        try await Support.application(CohereEmulator.makeRouter()).test(.router) { client in
            let v1 = try Support.json(try await Support.post(client, "/v1/embed", ["model": "embed-english-v3.0", "texts": ["x"], "input_type": "search_query"], headers: Self.key))
            #expect(v1["response_type"] == "embeddings_floats")
            #expect(v1["embeddings"]?.arrayValue?[0].arrayValue?.count == 1024)
            #expect(v1["meta"]?["api_version"]?["version"] == "1")
            let cases: [(JSONValue, HTTPResponse.Status, String)] = [
                (["model": "embed-english-v3.0", "texts": ["x"]], .badRequest, "input_type"),
                (["model": "embed-english-v3.0", "texts": ["x"], "input_type": "poetry"], .badRequest, "input_type"),
                (["model": "embed-english-v3.0", "texts": ["x"], "input_type": "search_query", "embedding_types": ["hex"]], .badRequest, "embedding_types"),
                (["model": "embed-english-v3.0", "texts": ["x"], "input_type": "search_query", "output_dimension": 256], .badRequest, "output_dimension"),
                (["model": "embed-english-v3.0", "input_type": "search_query"], .badRequest, "texts"),
                (["model": "embed-english-v3.0", "texts": .array(Array(repeating: "x", count: 97)), "input_type": "search_query"], .badRequest, "96"),
                (["model": "command-a-03-2025", "texts": ["x"], "input_type": "search_query"], .badRequest, "embed"),
                (["model": "embed-nonexistent", "texts": ["x"], "input_type": "search_query"], .notFound, "not found"),
            ]
            for (request, status, word) in cases {
                let response = try await Support.post(client, "/v2/embed", request, headers: Self.key)
                #expect(response.status == status, "\(request)")
                let body = try Support.json(response)
                #expect(body["message"]?.stringValue?.contains(word) == true, "\(body)")
                #expect(body["id"] != nil)
            }
        }
    }

    @Test("a reasoning model thinks first (stream and not); thinking can be disabled; images are checked")
    func thinkingAndImages() async throws {
        try await Support.application(CohereEmulator.makeRouter()).test(.router) { client in
            let messages: JSONValue = [["role": "user", "content": [["type": "text", "text": "Hi"], ["type": "image_url", "image_url": ["url": "https://example.com/cat.png"]]]]]
            let body = try Support.json(try await Support.post(client, "/v2/chat", ["model": "command-a-reasoning-08-2025", "messages": messages], headers: Self.key))
            #expect(body["message"]?["content"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["thinking", "text"])
            #expect(body["message"]?["content"]?.arrayValue?.last?["text"] == "Echo: Hi")
            let plain = try Support.json(try await Support.post(client, "/v2/chat", [
                "model": "command-a-reasoning-08-2025", "messages": messages, "thinking": ["type": "disabled"],
            ], headers: Self.key))
            #expect(plain["message"]?["content"]?.arrayValue?.count == 1)

            let stream = try await Support.post(client, "/v2/chat", ["model": "command-a-03-2025", "stream": true, "thinking": ["type": "enabled"], "messages": messages], headers: Self.key)
            let events = try EmulatorTestSupport.events(stream).dropLast().map { try JSONValue(parsing: Data($0.data.utf8)) }
            let thinking = events.compactMap { $0["delta"]?["message"]?["content"]?["thinking"]?.stringValue }.joined()
            let text = events.compactMap { $0["type"] == "content-delta" ? $0["delta"]?["message"]?["content"]?["text"]?.stringValue : nil }.joined()
            #expect(!thinking.isEmpty)
            #expect(text == "Echo: Hi")
            #expect(events.first(where: { $0["type"] == "content-start" })?["delta"]?["message"]?["content"]?["type"] == "thinking")

            let bad = try await Support.post(client, "/v2/chat", [
                "model": "command-a-vision-07-2025", "messages": [["role": "user", "content": [["type": "image_url", "image_url": ["url": "ftp://x"]]]]],
            ], headers: Self.key)
            #expect(bad.status == .badRequest)
        }
    }
}
