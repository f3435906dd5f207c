import Foundation
import Hummingbird
import WireFormats

/// `POST /model/{modelId}/invoke` for the embedding models, each with its own body as Bedrock
/// passes it to the model, and `X-Amzn-Bedrock-Input-Token-Count` (words) /
/// `X-Amzn-Bedrock-Invocation-Latency` headers:
///
/// - `amazon.titan-embed-text-v2:0`: `{"inputText", "dimensions"? (256|512|1024, default 1024),
///   "normalize"? (default true; false scales the unit vector by 4), "embeddingTypes"?
///   (["float","binary"])}` → `{"embedding", "embeddingsByType", "inputTextTokenCount"}`
///   (`embedding` only when float is asked for; binary is one 0/1 per dimension).
/// - `amazon.titan-embed-text-v1`: `{"inputText"}` only → `{"embedding"(1536), "inputTextTokenCount"}`.
/// - `cohere.embed-english-v3`, `cohere.embed-multilingual-v3`: `{"texts" (1…96), "input_type",
///   "truncate"?, "embedding_types"?}` → Cohere's body (``CohereEmbeddings``), 1024 dimensions.
///
/// Bodies are checked as the real models check them (`Malformed input request: …`,
/// `ValidationException`); any other model id is "The provided model identifier is invalid."
/// (the emulator serves chat models through Converse only).
struct BedrockInvokeEmbeddingsHandler: Sendable {
    static let maximumBodyBytes = 32 * 1024 * 1024

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        var request = request
        let rawModelID = context.parameters.get("modelId") ?? ""
        let identifier = rawModelID.removingPercentEncoding ?? rawModelID
        let modelID = identifier.split(separator: "/").last.map(String.init) ?? identifier
        let scenario = try BedrockConverseHandler.scenario(in: request.headers)
        let body = try await request.collectBody(upTo: Self.maximumBodyBytes)
        guard let json = try? JSONValue(parsing: Data(body.readableBytesView)), let object = json.objectValue else {
            throw BedrockEmulatorError.validation("Malformed input request, please reformat your input and try again.")
        }
        let answer: (body: JSONValue, tokens: Int)
        switch modelID {
        case "amazon.titan-embed-text-v2:0": answer = try Self.titan(object, version: 2)
        case "amazon.titan-embed-text-v1": answer = try Self.titan(object, version: 1)
        case "cohere.embed-english-v3", "cohere.embed-multilingual-v3": answer = try Self.cohere(object, stableID: StableHash.hex(of: Data(body.readableBytesView)))
        default: throw BedrockEmulatorError.invalidModel
        }
        try BedrockConverseHandler.failIfScripted(scenario)
        var headers = HTTPFields()
        headers[named: "X-Amzn-Bedrock-Input-Token-Count"] = String(answer.tokens)
        headers[named: "X-Amzn-Bedrock-Invocation-Latency"] = "42"
        return BedrockResponse.json(answer.body, headers: headers)
    }

    static func malformed(_ detail: String) -> BedrockEmulatorError {
        .validation("Malformed input request: \(detail), please reformat your input and try again.")
    }

    static func titan(_ body: [String: JSONValue], version: Int) throws(BedrockEmulatorError) -> (JSONValue, Int) {
        let allowed: Set<String> = version == 2 ? ["inputText", "dimensions", "normalize", "embeddingTypes"] : ["inputText"]
        if let extra = body.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw Self.malformed("extraneous key [\(extra)] is not permitted")
        }
        guard let input = body["inputText"] else { throw Self.malformed("#: required key [inputText] not found") }
        guard let text = input.stringValue else { throw Self.malformed("#/inputText: expected type: String, found: \(Self.typeName(input))") }
        guard !text.isEmpty else { throw Self.malformed("#/inputText: expected minLength: 1, actual: 0") }
        let tokens = max(1, DeterministicReply.wordCount(of: text))
        guard version == 2 else {
            return (["embedding": DeterministicEmbedding.json(DeterministicEmbedding.vector(for: text, dimensions: 1536)), "inputTextTokenCount": .int(tokens)], tokens)
        }
        var dimensions = 1024
        if let value = body["dimensions"] {
            guard let number = value.intValue, [256, 512, 1024].contains(number) else { throw Self.malformed("#/dimensions: \(value.encodedString()) is not a valid enum value") }
            dimensions = number
        }
        var vector = DeterministicEmbedding.vector(for: text, dimensions: dimensions)
        if body["normalize"]?.boolValue == false { vector = vector.map { $0 * 4 } }
        var types = ["float"]
        if let value = body["embeddingTypes"] {
            guard let list = value.arrayValue?.compactMap(\.stringValue), !list.isEmpty, list.count == value.arrayValue?.count,
                list.allSatisfy(["float", "binary"].contains)
            else { throw Self.malformed("#/embeddingTypes: expected a non-empty subset of [float, binary]") }
            types = list
        }
        var byType: [String: JSONValue] = [:]
        var answer: [String: JSONValue] = ["inputTextTokenCount": .int(tokens)]
        if types.contains("float") {
            byType["float"] = DeterministicEmbedding.json(vector)
            answer["embedding"] = DeterministicEmbedding.json(vector)
        }
        if types.contains("binary") { byType["binary"] = .array(vector.map { .int($0 > 0 ? 1 : 0) }) }
        answer["embeddingsByType"] = .object(byType)
        return (.object(answer), tokens)
    }

    static func cohere(_ body: [String: JSONValue], stableID: String) throws(BedrockEmulatorError) -> (JSONValue, Int) {
        guard let list = body["texts"] else { throw Self.malformed("#: required key [texts] not found") }
        guard let texts = list.arrayValue?.compactMap(\.stringValue), texts.count == list.arrayValue?.count else {
            throw Self.malformed("#/texts: expected type: JSONArray of String")
        }
        guard (1...96).contains(texts.count) else { throw Self.malformed("#/texts: expected between 1 and 96 items, found: \(texts.count)") }
        guard let inputType = body["input_type"]?.stringValue else { throw Self.malformed("#: required key [input_type] not found") }
        let inputTypes = CohereEmbeddings.inputTypes.filter { $0 != "image" }
        guard inputTypes.contains(inputType) else { throw Self.malformed("#/input_type: \(inputType) is not a valid enum value") }
        if let truncate = body["truncate"], !["NONE", "START", "END"].contains(truncate.stringValue ?? "") {
            throw Self.malformed("#/truncate: \(truncate.encodedString()) is not a valid enum value")
        }
        var types: [String]?
        if let value = body["embedding_types"] {
            let cohereTypes = CohereEmbeddings.types.filter { $0 != "base64" }
            guard let list = value.arrayValue?.compactMap(\.stringValue), !list.isEmpty, list.count == value.arrayValue?.count, list.allSatisfy(cohereTypes.contains) else {
                throw Self.malformed("#/embedding_types: expected a non-empty subset of [\(cohereTypes.joined(separator: ", "))]")
            }
            types = list
        }
        let vectors = texts.map { DeterministicEmbedding.vector(for: $0, dimensions: 1024) }
        let tokens = max(1, texts.reduce(0) { $0 + DeterministicReply.wordCount(of: $1) })
        let answer: JSONValue = [
            "id": .string(CohereChatHandler.uuid(from: stableID)), "texts": .array(texts.map(JSONValue.string)),
            "embeddings": types.map { CohereEmbeddings.byType(vectors, types: $0) } ?? CohereEmbeddings.floats(vectors),
            "response_type": types == nil ? "embeddings_floats" : "embeddings_by_type",
        ]
        return (answer, tokens)
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .array: "JSONArray"
        case .object: "JSONObject"
        case .bool: "Boolean"
        case .null: "Null"
        case .string: "String"
        default: "Number"
        }
    }
}
