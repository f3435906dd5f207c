import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

@Suite("Gemini and Vertex AI emulators: model listing, embeddings, media and thought signatures")
struct GeminiRouterSupportTests {
    typealias Support = NativeEmulatorSupport
    static let key = GeminiEmulatorTests.key

    @Test("GET models lists chat and embedding models and pages with pageSize / pageToken")
    func geminiModels() async throws {
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            let all = try Support.json(try await client.execute(uri: "/v1beta/models", method: .get, headers: Support.fields(Self.key)))
            let models = all["models"]?.arrayValue ?? []
            let embedding = try #require(models.first { $0["name"] == "models/gemini-embedding-001" })
            #expect(embedding["supportedGenerationMethods"]?.arrayValue?.contains("embedContent") == true)
            #expect(models.first?["supportedGenerationMethods"]?.arrayValue?.contains("generateContent") == true)
            var names: [String] = []
            var token: String?
            repeat {
                let path = "/v1beta/models?pageSize=3" + (token.map { "&pageToken=\($0)" } ?? "")
                let page = try Support.json(try await client.execute(uri: path, method: .get, headers: Support.fields(Self.key)))
                #expect((page["models"]?.arrayValue?.count ?? 0) <= 3)
                names += page["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                token = page["nextPageToken"]?.stringValue
            } while token != nil
            #expect(names == models.compactMap { $0["name"]?.stringValue })
            let bad = try await client.execute(uri: "/v1beta/models?pageToken=garbage", method: .get, headers: Support.fields(Self.key))
            #expect(bad.status == .badRequest)
            #expect(try Support.json(bad)["error"]?["status"] == "INVALID_ARGUMENT")
        }
    }

    @Test("Vertex lists publisher models, embeds through :predict, and refuses an unknown model with 404")
    func vertex() async throws {
        let token = GoogleMockIdentity.issueAccessToken(scopes: [GoogleMockIdentity.cloudPlatformScope], lifetime: 60)
        let auth = [("authorization", "Bearer \(token)")]
        try await Support.application(VertexAIEmulator.makeRouter()).test(.router) { client in
            let list = try Support.json(try await client.execute(uri: "/v1beta1/publishers/google/models?pageSize=2", method: .get, headers: Support.fields(auth)))
            #expect(list["publisherModels"]?.arrayValue?.first?["name"] == "publishers/google/models/gemini-2.5-flash")
            #expect(list["publisherModels"]?.arrayValue?.count == 2)
            #expect(list["nextPageToken"]?.stringValue != nil)
            let one = try await client.execute(uri: "/v1/publishers/google/models/text-embedding-005", method: .get, headers: Support.fields(auth))
            #expect(try Support.json(one)["name"] == "publishers/google/models/text-embedding-005")
            #expect(try await client.execute(uri: "/v1/publishers/google/models/nope", method: .get, headers: Support.fields(auth)).status == .notFound)
            #expect(try await client.execute(uri: "/v1/publishers/google/models", method: .get, headers: Support.fields([])).status == .unauthorized)

            let path = "/v1beta1/projects/p/locations/us-central1/publishers/google/models/text-embedding-005:predict"
            let predicted = try Support.json(try await Support.post(client, path, [
                "instances": [["content": "one two", "task_type": "RETRIEVAL_DOCUMENT"], ["content": "three"]], "parameters": ["outputDimensionality": 64],
            ], headers: auth))
            let predictions = try #require(predicted["predictions"]?.arrayValue)
            #expect(predictions.count == 2)
            #expect(predictions[0]["embeddings"]?["values"]?.arrayValue?.count == 64)
            #expect(predictions[0]["embeddings"]?["statistics"]?["token_count"] == 2)
            #expect(predicted["metadata"]?["billableCharacterCount"] == 12)
            #expect(try await Support.post(client, path, ["instances": []], headers: auth).status == .badRequest)
        }
    }

    @Test("inlineData and fileData parts are accepted; a part without mimeType or with bad base64 is a 400")
    func media() async throws {
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            func generate(_ part: JSONValue) async throws -> TestResponse {
                try await Support.post(client, "/v1beta/models/gemini-2.5-flash:generateContent", [
                    "contents": [["role": "user", "parts": [["text": "describe"], part]]],
                ], headers: Self.key)
            }
            let inline = try await generate(["inlineData": ["mimeType": "image/png", "data": "iVBORw0KGgo="]])
            #expect(try Support.json(inline)["candidates"]?.arrayValue?.first?["content"]?["parts"] == [["text": "Echo: describe"]])
            #expect(try await generate(["fileData": ["mimeType": "image/png", "fileUri": "gs://bucket/cat.png"]]).status == .ok)
            #expect(try await generate(["inlineData": ["data": "iVBORw0KGgo="]]).status == .badRequest)
            #expect(try await generate(["inlineData": ["mimeType": "image/png", "data": "not base64!"]]).status == .badRequest)
            #expect(try await generate(["fileData": ["mimeType": "image/png"]]).status == .badRequest)
        }
    }

    @Test("with thinking on, a function call carries a thoughtSignature beside the thought part")
    func thoughtSignature() async throws {
        try await Support.application(GeminiEmulator.makeRouter()).test(.router) { client in
            let body = try Support.json(try await Support.post(client, "/v1beta/models/gemini-2.5-flash:generateContent", [
                "contents": [["role": "user", "parts": [["text": "use get_weather"]]]], "tools": [GeminiEmulatorTests.tool],
                "generationConfig": ["thinkingConfig": ["includeThoughts": true]],
            ], headers: Self.key))
            let parts = body["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue ?? []
            #expect(parts.first?["thought"] == true)
            #expect(parts.last?["functionCall"]?["name"] == "get_weather")
            #expect(parts.last?["thoughtSignature"]?.stringValue?.isEmpty == false)
        }
    }
}
