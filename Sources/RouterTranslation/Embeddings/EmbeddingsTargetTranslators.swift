package import Foundation
package import WireFormats

/// Gemini (AI Studio): one text → `embedContent`, several → `batchEmbedContents`, with
/// `outputDimensionality` for `dimensions`. Gemini reports no token counts (usage is 0).
package struct GeminiEmbeddingsTranslator: EmbeddingsTranslator {
    package init() {}

    package func upstreamRequests(for request: EmbeddingsRequest, model: String) throws(TranslationError) -> [TranslatedRequest] {
        // batchEmbedContents takes at most 100 requests.
        let texts = try EmbeddingsTranslation.texts(of: request, maximum: 100, target: "Gemini")
        let segment = EmbeddingsTranslation.pathSegment(model)
        let dropped = EmbeddingsTranslation.dropped(request, target: "Gemini", dimensions: true)
        func entry(_ text: String, named: Bool) -> GeminiEmbedContentRequest {
            GeminiEmbedContentRequest(model: named ? "models/\(model)" : nil, content: .init(parts: [.init(text: text)]),
                                      outputDimensionality: request.dimensions)
        }
        if texts.count == 1 {
            return [TranslatedRequest(operationPath: "/v1beta/models/\(segment):embedContent",
                                      body: try TranslationJSON.encode(entry(texts[0], named: false)), isStreaming: false, dropped: dropped)]
        }
        let batch = GeminiBatchEmbedContentsRequest(requests: texts.map { entry($0, named: true) })
        return [TranslatedRequest(operationPath: "/v1beta/models/\(segment):batchEmbedContents",
                                  body: try TranslationJSON.encode(batch), isStreaming: false, dropped: dropped)]
    }

    package func embeddingsResponse(fromUpstreamBodies bodies: [Data], for request: EmbeddingsRequest,
                                    reportedInputTokens: Int?) throws(TranslationError) -> EmbeddingsResponse {
        let expected = request.input.texts?.count ?? 0
        guard let body = bodies.first, bodies.count == 1 else { throw .malformedUpstream("Gemini embeddings: expected one answer, got \(bodies.count)") }
        let answer = try TranslationJSON.decodeUpstream(GeminiEmbedContentResponse.self, from: body, what: "Gemini embeddings answer")
        let vectors = answer.embeddings?.map { $0.values ?? [] } ?? answer.embedding.map { [$0.values ?? []] } ?? []
        return try EmbeddingsTranslation.response(vectors: vectors, expected: expected, request: request,
                                                  promptTokens: reportedInputTokens, target: "Gemini")
    }

    package func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody {
        EmbeddingsTranslation.openAIError(fromUpstreamBody: body, status: status, target: "Gemini")
    }
}

/// Cohere `/v2/embed`: `texts`, `input_type: search_document` (OpenAI embeddings have no query
/// vs document split, and documents are what clients index), `embedding_types: ["float"]`,
/// `output_dimension` for `dimensions`; usage from `meta.billed_units.input_tokens`.
package struct CohereEmbeddingsTranslator: EmbeddingsTranslator {
    package init() {}

    package func upstreamRequests(for request: EmbeddingsRequest, model: String) throws(TranslationError) -> [TranslatedRequest] {
        // Cohere's documented limit per call.
        let texts = try EmbeddingsTranslation.texts(of: request, maximum: 96, target: "Cohere")
        let body = CohereEmbedRequest(model: model, texts: texts, inputType: "search_document", embeddingTypes: ["float"],
                                      outputDimension: request.dimensions)
        return [TranslatedRequest(operationPath: "/v2/embed", body: try TranslationJSON.encode(body), isStreaming: false,
                                  dropped: EmbeddingsTranslation.dropped(request, target: "Cohere", dimensions: true))]
    }

    package func embeddingsResponse(fromUpstreamBodies bodies: [Data], for request: EmbeddingsRequest,
                                    reportedInputTokens: Int?) throws(TranslationError) -> EmbeddingsResponse {
        guard let body = bodies.first, bodies.count == 1 else { throw .malformedUpstream("Cohere embeddings: expected one answer, got \(bodies.count)") }
        let answer = try TranslationJSON.decodeUpstream(CohereEmbedResponse.self, from: body, what: "Cohere embed answer")
        let billed = answer.meta?.billedUnits?.inputTokens.map { Int($0.rounded()) }
        return try EmbeddingsTranslation.response(vectors: answer.embeddings, expected: request.input.texts?.count ?? 0, request: request,
                                                  promptTokens: billed ?? reportedInputTokens, target: "Cohere")
    }

    package func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody {
        CohereErrorTranslation.openAIError(fromUpstreamBody: body, status: status)
    }
}

/// Bedrock InvokeModel (`/model/<id>/invoke`) for Amazon Titan text embeddings: Titan embeds
/// one text per call, so N inputs are N requests (see ``EmbeddingsTranslator`` for the
/// fan-out). Titan v2 takes `dimensions` (256/512/1024) and `normalize`; v1 takes neither.
/// Usage is the sum of the answers' `inputTextTokenCount`.
package struct BedrockTitanEmbeddingsTranslator: EmbeddingsTranslator {
    package init() {}

    package func upstreamRequests(for request: EmbeddingsRequest, model: String) throws(TranslationError) -> [TranslatedRequest] {
        // A bound on the fan-out, so one client request cannot become thousands of calls.
        let texts = try EmbeddingsTranslation.texts(of: request, maximum: 128, target: "Bedrock Titan")
        let isV1 = model.contains("titan-embed-text-v1") || model.contains("titan-embed-g1-text")
        let path = "/model/\(EmbeddingsTranslation.pathSegment(model))/invoke"
        let dropped = EmbeddingsTranslation.dropped(request, target: "Bedrock Titan v1", dimensions: !isV1)
        var requests: [TranslatedRequest] = []
        for text in texts {
            // OpenAI's vectors are unit length; Titan v2 normalises only when asked.
            let body = TitanEmbedRequest(inputText: text, dimensions: isV1 ? nil : request.dimensions, normalize: isV1 ? nil : true)
            requests.append(TranslatedRequest(operationPath: path, body: try TranslationJSON.encode(body), isStreaming: false,
                                              dropped: requests.isEmpty ? dropped : []))
        }
        return requests
    }

    package func embeddingsResponse(fromUpstreamBodies bodies: [Data], for request: EmbeddingsRequest,
                                    reportedInputTokens: Int?) throws(TranslationError) -> EmbeddingsResponse {
        var vectors: [[Double]] = []
        var tokens: Int?
        for body in bodies {
            let answer = try TranslationJSON.decodeUpstream(TitanEmbedResponse.self, from: body, what: "Bedrock Titan embeddings answer")
            vectors.append(answer.embedding)
            if let count = answer.inputTextTokenCount { tokens = (tokens ?? 0) + count }
        }
        return try EmbeddingsTranslation.response(vectors: vectors, expected: request.input.texts?.count ?? 0, request: request,
                                                  promptTokens: tokens ?? reportedInputTokens, target: "Bedrock Titan")
    }

    package func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody {
        EmbeddingsTranslation.openAIError(fromUpstreamBody: body, status: status, target: "Bedrock")
    }
}

/// Bedrock InvokeModel for Cohere embed models (`cohere.embed-english-v3`…): one call with
/// `texts` and `input_type`, no `model` in the body. The body reports no token count; pass
/// Bedrock's `X-Amzn-Bedrock-Input-Token-Count` header as `reportedInputTokens`.
package struct BedrockCohereEmbeddingsTranslator: EmbeddingsTranslator {
    package init() {}

    package func upstreamRequests(for request: EmbeddingsRequest, model: String) throws(TranslationError) -> [TranslatedRequest] {
        let texts = try EmbeddingsTranslation.texts(of: request, maximum: 96, target: "Bedrock Cohere")
        let body = BedrockCohereEmbedRequest(texts: texts, inputType: "search_document", embeddingTypes: ["float"])
        return [TranslatedRequest(operationPath: "/model/\(EmbeddingsTranslation.pathSegment(model))/invoke",
                                  body: try TranslationJSON.encode(body), isStreaming: false,
                                  dropped: EmbeddingsTranslation.dropped(request, target: "Cohere embed v3 on Bedrock", dimensions: false))]
    }

    package func embeddingsResponse(fromUpstreamBodies bodies: [Data], for request: EmbeddingsRequest,
                                    reportedInputTokens: Int?) throws(TranslationError) -> EmbeddingsResponse {
        guard let body = bodies.first, bodies.count == 1 else { throw .malformedUpstream("Bedrock Cohere embeddings: expected one answer, got \(bodies.count)") }
        let answer = try TranslationJSON.decodeUpstream(CohereEmbedResponse.self, from: body, what: "Bedrock Cohere embed answer")
        return try EmbeddingsTranslation.response(vectors: answer.embeddings, expected: request.input.texts?.count ?? 0, request: request,
                                                  promptTokens: reportedInputTokens, target: "Bedrock Cohere")
    }

    package func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody {
        EmbeddingsTranslation.openAIError(fromUpstreamBody: body, status: status, target: "Bedrock")
    }
}

/// Vertex AI text embeddings: `:predict` with one instance per text (`content`), and
/// `outputDimensionality` for `dimensions`; usage from each prediction's
/// `statistics.token_count`. The path is AI Studio's form (`/v1beta/models/<m>:predict`), which
/// the Gemini provider's Vertex AI URL layout maps to the publisher model.
package struct VertexPredictEmbeddingsTranslator: EmbeddingsTranslator {
    package init() {}

    package func upstreamRequests(for request: EmbeddingsRequest, model: String) throws(TranslationError) -> [TranslatedRequest] {
        // Vertex's documented limit of instances per predict call.
        let texts = try EmbeddingsTranslation.texts(of: request, maximum: 250, target: "Vertex AI")
        var body: [String: JSONValue] = ["instances": .array(texts.map { ["content": .string($0)] })]
        if let dimensions = request.dimensions { body["parameters"] = ["outputDimensionality": .int(dimensions)] }
        return [TranslatedRequest(
            operationPath: "/v1beta/models/\(EmbeddingsTranslation.pathSegment(model)):predict", body: try TranslationJSON.encode(JSONValue.object(body)),
            isStreaming: false, dropped: EmbeddingsTranslation.dropped(request, target: "Vertex AI", dimensions: true))]
    }

    package func embeddingsResponse(fromUpstreamBodies bodies: [Data], for request: EmbeddingsRequest,
                                    reportedInputTokens: Int?) throws(TranslationError) -> EmbeddingsResponse {
        guard let body = bodies.first, bodies.count == 1 else { throw .malformedUpstream("Vertex AI embeddings: expected one answer, got \(bodies.count)") }
        let answer = try TranslationJSON.decodeUpstream(JSONValue.self, from: body, what: "Vertex AI predict answer")
        guard let predictions = answer["predictions"]?.arrayValue else { throw .malformedUpstream("Vertex AI predict answer: no predictions") }
        var vectors: [[Double]] = []
        var tokens = 0
        for prediction in predictions {
            guard let values = prediction["embeddings"]?["values"]?.arrayValue?.compactMap(\.doubleValue) else {
                throw .malformedUpstream("Vertex AI predict answer: a prediction without embeddings.values")
            }
            vectors.append(values)
            tokens += prediction["embeddings"]?["statistics"]?["token_count"]?.intValue ?? 0
        }
        return try EmbeddingsTranslation.response(vectors: vectors, expected: request.input.texts?.count ?? 0, request: request,
                                                  promptTokens: tokens > 0 ? tokens : reportedInputTokens, target: "Vertex AI")
    }

    package func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody {
        EmbeddingsTranslation.openAIError(fromUpstreamBody: body, status: status, target: "Vertex AI")
    }
}
