import Foundation
import HTTPTypes
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

@Suite("OpenAI emulator: Embeddings and Models")
struct OpenAIEmbeddingsAndModelsTests {
    typealias Support = EmulatorTestSupport

    static func floats(fromBase64 text: String) throws -> [Float] {
        let data = try #require(Data(base64Encoded: text))
        return stride(from: 0, to: data.count, by: 4).map { offset in
            let bits = data[offset..<offset + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
            return Float(bitPattern: bits)
        }
    }

    @Test("float and base64 encode the same unit vector, of the requested dimension")
    func floatAndBase64() async throws {
        try await Support.makeApplication().test(.router) { client in
            let request: [String: JSONValue] = ["model": "text-embedding-3-small", "input": "hello world", "dimensions": 8]
            var floatRequest = request
            floatRequest["encoding_format"] = "float"
            var base64Request = request
            base64Request["encoding_format"] = "base64"
            let asFloat = try Support.json(try await Support.post(client, "/v1/embeddings", .object(floatRequest)))
            let asBase64 = try Support.json(try await Support.post(client, "/v1/embeddings", .object(base64Request)))
            let floatValues = try #require(asFloat["data"]?.arrayValue?.first?["embedding"]?.arrayValue)
            let floats = floatValues.compactMap { $0.doubleValue }
            let decoded = try Self.floats(fromBase64: try #require(asBase64["data"]?.arrayValue?.first?["embedding"]?.stringValue))
            #expect(floats.count == 8 && decoded.count == 8)
            #expect(zip(floats, decoded).allSatisfy { abs($0 - Double($1)) < 1e-6 })
            #expect(abs(floats.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
            #expect(asFloat["usage"]?["prompt_tokens"] == 2)
        }
    }

    @Test("default dimensions are 1536 for -small and 3072 for -large; inputs may be lists and token arrays")
    func defaultsAndInputs() async throws {
        try await Support.makeApplication().test(.router) { client in
            let small = try Support.json(
                try await Support.post(client, "/v1/embeddings", ["model": "text-embedding-3-small", "input": ["a", "b c"], "encoding_format": "float"])
            )
            #expect(small["data"]?.arrayValue?.map { $0["embedding"]?.arrayValue?.count } == [1536, 1536])
            #expect(small["usage"]?["prompt_tokens"] == 3)
            let large = try Support.json(
                try await Support.post(client, "/v1/embeddings", ["model": "text-embedding-3-large", "input": [[1, 2], [3]], "encoding_format": "float"])
            )
            #expect(large["data"]?.arrayValue?.map { $0["embedding"]?.arrayValue?.count } == [3072, 3072])
            #expect(large["usage"]?["prompt_tokens"] == 3)
        }
    }

    @Test("bad embeddings input is a 400 naming the parameter", arguments: [
        (["model": "text-embedding-3-small", "input": "x", "dimensions": -1] as JSONValue, "dimensions"),
        (["model": "text-embedding-3-small", "input": ""] as JSONValue, "input"),
        (["model": "text-embedding-3-small"] as JSONValue, "input"),
        (["model": "text-embedding-3-small", "input": "x", "encoding_format": "hex"] as JSONValue, "encoding_format"),
    ])
    func badInput(request: JSONValue, parameter: String) async throws {
        try await Support.makeApplication().test(.router) { client in
            let response = try await Support.post(client, "/v1/embeddings", request)
            #expect(response.status == .badRequest)
            #expect(try Support.json(response)["error"]?["param"] == .string(parameter))
        }
    }

    @Test("models list, retrieve, and a 404 model_not_found for an unknown id")
    func models() async throws {
        try await Support.makeApplication().test(.router) { client in
            let list = try Support.json(try await client.execute(uri: "/v1/models", method: .get, headers: Support.headers()))
            let ids = list["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(Set(["gpt-4o", "gpt-4o-mini", "gpt-4.1", "text-embedding-3-small", "text-embedding-3-large"]).isSubset(of: Set(ids)))
            let one = try Support.json(try await client.execute(uri: "/v1/models/gpt-4o", method: .get, headers: Support.headers()))
            #expect(one["id"] == "gpt-4o" && one["object"] == "model")
            let missing = try await client.execute(uri: "/v1/models/gpt-nope", method: .get, headers: Support.headers())
            #expect(missing.status == .notFound)
            #expect(try Support.json(missing)["error"]?["code"] == "model_not_found")
        }
    }
}
