import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

@Suite("Bedrock emulator: foundation models, embeddings, images, forced tools")
struct BedrockModelsAndEmbeddingsTests {
    static let bearer: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(AWSMockCredentialAuthority.bedrockAPIKey)"]

    static func withClient<Value: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await Application(router: BedrockEmulator.makeRouter()).test(.router) { client in try await body(client) }
    }

    static func get(_ client: some TestClientProtocol, _ path: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: Self.bearer)
    }

    static func post(_ client: some TestClientProtocol, _ path: String, _ body: JSONValue, scenario: String? = nil) async throws -> TestResponse {
        var headers = Self.bearer
        if let scenario { headers[HTTPField.Name("x-mock-scenario")!] = scenario }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body.encodedData()))
    }

    static func errorType(_ response: TestResponse) -> String? {
        response.headers[HTTPField.Name("x-amzn-ErrorType")!]?.split(separator: ":").first.map(String.init)
    }

    @Test("ListFoundationModels lists chat and embedding models and honours byProvider, byOutputModality, byInferenceType")
    func foundationModels() async throws {
        try await Self.withClient { client in
            let all = try NativeEmulatorSupport.json(try await Self.get(client, "/foundation-models"))
            let ids = all["modelSummaries"]?.arrayValue?.compactMap { $0["modelId"]?.stringValue } ?? []
            #expect(ids.contains("amazon.titan-embed-text-v2:0") && ids.contains("cohere.embed-english-v3") && ids.contains("amazon.nova-pro-v1:0"))
            let summary = try #require(all["modelSummaries"]?.arrayValue?.first)
            #expect(EmulatorTestSupport.keys(summary).isSuperset(of: [
                "modelId", "modelArn", "modelName", "providerName", "inputModalities", "outputModalities", "responseStreamingSupported", "inferenceTypesSupported",
            ]))
            let embeddings = try NativeEmulatorSupport.json(try await Self.get(client, "/foundation-models?byOutputModality=EMBEDDING"))
            #expect(Set(embeddings["modelSummaries"]?.arrayValue?.compactMap { $0["modelId"]?.stringValue } ?? []) == [
                "amazon.titan-embed-text-v2:0", "amazon.titan-embed-text-v1", "cohere.embed-english-v3", "cohere.embed-multilingual-v3",
            ])
            let cohere = try NativeEmulatorSupport.json(try await Self.get(client, "/foundation-models?byProvider=cohere&byInferenceType=ON_DEMAND"))
            #expect(cohere["modelSummaries"]?.arrayValue?.allSatisfy { $0["providerName"] == "Cohere" } == true)
            #expect(cohere["modelSummaries"]?.arrayValue?.count == 3)
            let bad = try await Self.get(client, "/foundation-models?byOutputModality=SMELL")
            #expect(bad.status == .badRequest)
            #expect(Self.errorType(bad) == "ValidationException")
            let one = try NativeEmulatorSupport.json(try await Self.get(client, "/foundation-models/amazon.titan-embed-text-v2%3A0"))
            #expect(one["modelDetails"]?["modelId"] == "amazon.titan-embed-text-v2:0")
            let missing = try await Self.get(client, "/foundation-models/nope.model-v1")
            #expect(missing.status == .notFound)
            #expect(Self.errorType(missing) == "ResourceNotFoundException")
        }
    }

    @Test("Titan v2 invoke: embedding, embeddingsByType and the input-token header; dimensions checked")
    func titan() async throws {
        try await Self.withClient { client in
            let response = try await Self.post(client, "/model/amazon.titan-embed-text-v2%3A0/invoke", ["inputText": "hello there world", "dimensions": 256, "embeddingTypes": ["float", "binary"]])
            #expect(response.status == .ok)
            #expect(response.headers[HTTPField.Name("X-Amzn-Bedrock-Input-Token-Count")!] == "3")
            let body = try NativeEmulatorSupport.json(response)
            #expect(body["embedding"]?.arrayValue?.count == 256)
            #expect(body["inputTextTokenCount"] == 3)
            #expect(body["embeddingsByType"]?["float"] == body["embedding"])
            #expect(body["embeddingsByType"]?["binary"]?.arrayValue?.allSatisfy { $0 == 0 || $0 == 1 } == true)
            let v1 = try NativeEmulatorSupport.json(try await Self.post(client, "/model/amazon.titan-embed-text-v1/invoke", ["inputText": "x"]))
            #expect(v1["embedding"]?.arrayValue?.count == 1536)
            for (path, request) in [
                ("/model/amazon.titan-embed-text-v2%3A0/invoke", ["inputText": "x", "dimensions": 300] as JSONValue),
                ("/model/amazon.titan-embed-text-v2%3A0/invoke", ["text": "x"]),
                ("/model/amazon.titan-embed-text-v1/invoke", ["inputText": "x", "dimensions": 256]),
            ] {
                let refused = try await Self.post(client, path, request)
                #expect(refused.status == .badRequest, "\(request)")
                #expect(Self.errorType(refused) == "ValidationException")
                #expect(try NativeEmulatorSupport.json(refused)["message"]?.stringValue?.hasPrefix("Malformed input request") == true)
            }
            let unknown = try await Self.post(client, "/model/acme.embed-v9/invoke", ["inputText": "x"])
            #expect(unknown.status == .badRequest)
            #expect(try NativeEmulatorSupport.json(unknown)["message"] == "The provided model identifier is invalid.")
            let throttled = try await Self.post(client, "/model/amazon.titan-embed-text-v1/invoke", ["inputText": "x"], scenario: "rate-limit")
            #expect(throttled.status == .tooManyRequests)
        }
    }

    @Test("Cohere on Bedrock: texts and input_type required; floats by default, by type when asked")
    func cohere() async throws {
        try await Self.withClient { client in
            let floats = try NativeEmulatorSupport.json(try await Self.post(client, "/model/cohere.embed-english-v3/invoke", ["texts": ["a", "b c"], "input_type": "search_document"]))
            #expect(floats["response_type"] == "embeddings_floats")
            #expect(floats["embeddings"]?.arrayValue?.count == 2 && floats["embeddings"]?.arrayValue?[0].arrayValue?.count == 1024)
            #expect(floats["texts"] == ["a", "b c"])
            let typed = try NativeEmulatorSupport.json(try await Self.post(client, "/model/cohere.embed-multilingual-v3/invoke", [
                "texts": ["a"], "input_type": "search_query", "embedding_types": ["float", "int8"],
            ]))
            #expect(typed["response_type"] == "embeddings_by_type")
            #expect(typed["embeddings"]?["int8"]?.arrayValue?.count == 1)
            let missing = try await Self.post(client, "/model/cohere.embed-english-v3/invoke", ["texts": ["a"]])
            #expect(missing.status == .badRequest)
            #expect(try NativeEmulatorSupport.json(missing)["message"]?.stringValue?.contains("input_type") == true)
        }
    }

    @Test("Converse accepts png/jpeg/gif/webp images and refuses another format as Bedrock does")
    func images() async throws {
        try await Self.withClient { client in
            func converse(format: String) async throws -> TestResponse {
                try await Self.post(client, "/model/amazon.nova-pro-v1%3A0/converse", [
                    "messages": [["role": "user", "content": [["text": "what is this"], ["image": ["format": .string(format), "source": ["bytes": "iVBORw0KGgo="]]]]]],
                ])
            }
            for format in ["png", "jpeg", "gif", "webp"] {
                #expect(try await converse(format: format).status == .ok, "\(format)")
            }
            let bmp = try await converse(format: "bmp")
            #expect(bmp.status == .badRequest)
            #expect(try NativeEmulatorSupport.json(bmp)["message"]?.stringValue?.contains("[png, jpeg, gif, webp]") == true)
        }
    }

    @Test("toolChoice.tool forces that tool with schema-valid input, in Converse and ConverseStream")
    func forcedTool() async throws {
        let schema: JSONValue = ["type": "object", "properties": ["answer": ["type": "string", "enum": ["yes", "no"]], "score": ["type": "integer", "minimum": 3]], "required": ["answer", "score"], "additionalProperties": false]
        let body: JSONValue = [
            "messages": [["role": "user", "content": [["text": "classify this"]]]],
            "toolConfig": [
                "tools": [["toolSpec": ["name": "other", "inputSchema": ["json": ["type": "object"]]]], ["toolSpec": ["name": "verdict", "inputSchema": ["json": schema]]]],
                "toolChoice": ["tool": ["name": "verdict"]],
            ],
        ]
        try await Self.withClient { client in
            let answer = try NativeEmulatorSupport.json(try await Self.post(client, "/model/amazon.nova-pro-v1%3A0/converse", body))
            let toolUse = try #require(answer["output"]?["message"]?["content"]?.arrayValue?.first?["toolUse"])
            #expect(toolUse["name"] == "verdict")
            #expect(JSONSchemaValidator.problems(try #require(toolUse["input"]), against: schema) == [])
            let stream = try await Self.post(client, "/model/amazon.nova-pro-v1%3A0/converse-stream", body)
            var buffer = stream.body
            var framer = AWSEventStreamFramer()
            var fragments = ""
            while let frame = try framer.decodeLast(buffer: &buffer, seenEOF: true) {
                let message = try AWSEventStreamMessage(decoding: frame)
                let payload = try JSONValue(parsing: Data(message.payload.readableBytesView))
                if let fragment = payload["delta"]?["toolUse"]?["input"]?.stringValue { fragments += fragment }
            }
            #expect(try JSONValue(parsing: Data(fragments.utf8)) == toolUse["input"])
        }
    }
}
