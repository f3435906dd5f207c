package import Hummingbird
import NIOCore
import WireFormats

/// `POST /v1/embeddings`: one ``DeterministicEmbedding`` per input, as floats or base64.
///
/// `input` is a string, an array of strings, an array of token ids or an array of token-id
/// arrays; token ids are embedded as the text of their comma-joined numbers. Prompt tokens are
/// whitespace words for text and the token count for token arrays.
package struct OpenAIEmbeddingsHandler: Sendable {
    let gate: DialectScenarioGate

    /// Prefix of an `id` field on the answer, for compatible providers that send one (Mistral);
    /// OpenAI's answer has none.
    let identifierPrefix: String?

    package init(gate: DialectScenarioGate, identifierPrefix: String? = nil) {
        self.gate = gate
        self.identifierPrefix = identifierPrefix
    }

    /// Native vector size: 3072 for `*-large` models, else 1536 (`-small`, `ada-002`).
    package static func defaultDimensions(for model: String) -> Int {
        model.contains("large") ? 3072 : 1536
    }

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let call = try await DialectJSONRequest.read(request, context: context, style: self.gate.style)
        guard let input = call["input"] else { throw OpenAIErrorStyle.missingParameter("input") }
        let inputs = try Self.inputs(input)
        let dimensions = try self.dimensions(call)
        let encodingFormat = call["encoding_format"]?.stringValue ?? "float"
        guard encodingFormat == "float" || encodingFormat == "base64" else {
            throw OpenAIErrorStyle.invalidParameter(
                "encoding_format",
                message: "Invalid value for 'encoding_format': expected 'float' or 'base64', got '\(encodingFormat)'."
            )
        }
        let data = inputs.enumerated().map { index, input -> JSONValue in
            let vector = DeterministicEmbedding.vector(for: input.text, dimensions: dimensions)
            let embedding: JSONValue = encodingFormat == "base64"
                ? .string(DeterministicEmbedding.base64(vector))
                : DeterministicEmbedding.json(vector)
            return ["object": "embedding", "index": .int(index), "embedding": embedding]
        }
        let promptTokens = inputs.reduce(0) { $0 + $1.tokens }
        var body: JSONValue = [
            "object": "list", "data": .array(data), "model": .string(call.model),
            "usage": ["prompt_tokens": .int(promptTokens), "total_tokens": .int(promptTokens)],
        ]
        if let prefix = self.identifierPrefix, case .object(var fields) = body {
            fields["id"] = .string(prefix + call.stableID)
            body = .object(fields)
        }
        let scenario = try await self.gate.admit(call.scenario, model: call.model)
        return OpenAIResponseFactory.json(ByteBuffer(bytes: body.encodedData()), script: try StreamScript(scenario: scenario, frameCount: 1))
    }

    func dimensions(_ call: DialectJSONRequest) throws(EmulatorError) -> Int {
        let native = Self.defaultDimensions(for: call.model)
        guard let requested = call["dimensions"], !requested.isNull else { return native }
        guard let value = requested.intValue else {
            throw OpenAIErrorStyle.invalidParameter("dimensions", message: "Invalid type for 'dimensions': expected an integer.")
        }
        if value < 1 {
            throw OpenAIErrorStyle.invalidParameter("dimensions", message: "\(value) is less than the minimum of 1 - 'dimensions'")
        }
        if call.model.contains("ada-002") {
            throw OpenAIErrorStyle.invalidParameter("dimensions", message: "This model does not support specifying dimensions.")
        }
        if value > native {
            throw OpenAIErrorStyle.invalidParameter("dimensions", message: "\(value) is greater than the maximum of \(native) - 'dimensions'")
        }
        return value
    }

    static let invalidInput = OpenAIErrorStyle.invalidParameter(
        "input",
        message: "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference."
    )

    /// Each input's text (the embedding seed) and token count; throws for empty or mistyped input.
    static func inputs(_ input: JSONValue) throws(EmulatorError) -> [(text: String, tokens: Int)] {
        switch input {
        case .string(let text) where !text.isEmpty:
            return [(text, DeterministicReply.wordCount(of: text))]
        case .array(let items) where !items.isEmpty:
            if items.allSatisfy({ $0.intValue != nil }) {
                return [(Self.tokenText(items), items.count)]
            }
            var inputs: [(text: String, tokens: Int)] = []
            for item in items {
                switch item {
                case .string(let text) where !text.isEmpty:
                    inputs.append((text, DeterministicReply.wordCount(of: text)))
                case .array(let tokens) where !tokens.isEmpty && tokens.allSatisfy({ $0.intValue != nil }):
                    inputs.append((Self.tokenText(tokens), tokens.count))
                default:
                    throw Self.invalidInput
                }
            }
            return inputs
        default:
            throw Self.invalidInput
        }
    }

    static func tokenText(_ tokens: [JSONValue]) -> String {
        tokens.compactMap(\.intValue).map(String.init).joined(separator: ",")
    }
}
