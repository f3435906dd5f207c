package import Foundation
package import WireFormats

/// OpenAI `/embeddings` over a provider's own embeddings API. Pure, like ``ChatTranslator``.
///
/// Fan-out: a target may need several upstream calls for one OpenAI request (Bedrock Titan
/// embeds one text per InvokeModel). The caller sends every ``TranslatedRequest`` of
/// ``upstreamRequests(for:model:)`` — concurrently or in turn — and passes the answer bodies
/// back **in the same order**; if any call fails, the caller answers with that call's status
/// and ``openAIError(fromUpstreamBody:status:)`` and drops the rest.
package protocol EmbeddingsTranslator: Sendable {
    /// - Parameter model: the target's native model id (after `provider:`).
    /// - Throws: ``TranslationError`` (400): token-array input, empty input, an unknown
    ///   `encoding_format`, more texts than the target takes in one call.
    func upstreamRequests(for request: EmbeddingsRequest, model: String) throws(TranslationError) -> [TranslatedRequest]

    /// The OpenAI list for the upstream answers (one body per request, in order).
    ///
    /// - Parameter reportedInputTokens: a token count the target reported outside the body
    ///   (Bedrock's `X-Amzn-Bedrock-Input-Token-Count` header, summed); used when the bodies
    ///   report none.
    /// - Throws: ``TranslationError`` (502) when a body is not the target's answer or the
    ///   number of vectors does not match the number of inputs.
    func embeddingsResponse(fromUpstreamBodies bodies: [Data], for request: EmbeddingsRequest,
                            reportedInputTokens: Int?) throws(TranslationError) -> EmbeddingsResponse

    func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody
}

/// What every embeddings translator shares: input validation and the OpenAI vector encoding.
package enum EmbeddingsTranslation {
    /// The input texts, validated; also checks `encoding_format`.
    package static func texts(of request: EmbeddingsRequest, maximum: Int? = nil, target: String) throws(TranslationError) -> [String] {
        guard let texts = request.input.texts else {
            throw .unsupported("token-array input for \(target) embeddings: send text")
        }
        guard !texts.isEmpty else {
            throw .invalidRequest(field: "input", message: "input must not be empty.")
        }
        if let maximum, texts.count > maximum {
            throw .invalidRequest(field: "input", message: "\(target) embeds at most \(maximum) texts per request; got \(texts.count).")
        }
        if let format = request.encodingFormat, format != "float", format != "base64" {
            throw .invalidRequest(field: "encoding_format", message: "encoding_format must be float or base64, not \"\(format)\".")
        }
        return texts
    }

    /// The OpenAI list: one entry per vector, as floats or, when the client asked
    /// `encoding_format: base64` (the Python SDK's default), base64 of little-endian float32.
    package static func response(vectors: [[Double]], expected: Int, request: EmbeddingsRequest,
                                 promptTokens: Int?, target: String) throws(TranslationError) -> EmbeddingsResponse {
        guard vectors.count == expected else {
            throw .malformedUpstream("\(target) returned \(vectors.count) embeddings for \(expected) inputs")
        }
        let base64 = request.encodingFormat == "base64"
        let data = vectors.enumerated().map { index, vector in
            EmbeddingsResponse.Embedding(index: index, embedding: base64 ? .base64(base64Float32(vector)) : .floats(vector))
        }
        // OpenAI's list always has usage; targets that report no count get 0, not a guess.
        return EmbeddingsResponse(data: data, model: request.model, usage: .init(promptTokens: promptTokens ?? 0))
    }

    /// Little-endian IEEE-754 float32 bytes, base64-encoded, as OpenAI sends them.
    package static func base64Float32(_ vector: [Double]) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(vector.count * 4)
        for value in vector {
            let bits = Float(value).bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }

    /// Error bodies of the embeddings targets in OpenAI's shape: Gemini's
    /// `{"error":{"message"}}`, Cohere's `{"message"}`, Bedrock's `{"message"}`/`{"Message"}`.
    package static func openAIError(fromUpstreamBody body: Data, status: Int, target: String) -> OpenAIErrorBody {
        let type = UpstreamErrorClassification.openAIErrorType(forStatus: status)
        if let json = try? JSONDecoder().decode(JSONValue.self, from: body),
           let message = json["error"]?["message"]?.stringValue ?? json["message"]?.stringValue ?? json["Message"]?.stringValue {
            return OpenAIErrorBody(message: message, type: type, param: nil, code: nil)
        }
        let text = String(decoding: body.prefix(1000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return OpenAIErrorBody(message: text.isEmpty ? "\(target) answered HTTP \(status)" : text, type: type, param: nil, code: nil)
    }

    /// Model ids go into paths as one segment (`amazon.titan-embed-text-v2:0` → `…v2%3A0`).
    static func pathSegment(_ model: String) -> String {
        model.addingPercentEncoding(withAllowedCharacters: unreserved) ?? model
    }

    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func dropped(_ request: EmbeddingsRequest, target: String, dimensions: Bool) -> [DroppedContent] {
        var dropped: [DroppedContent] = []
        if request.user != nil { dropped.append(DroppedContent(kind: "user", reason: "\(target) has no end-user identifier")) }
        if request.dimensions != nil, !dimensions {
            dropped.append(DroppedContent(kind: "dimensions", reason: "\(target) cannot shorten vectors for this model"))
        }
        return dropped
    }
}
