// The embeddings dialects the router translates OpenAI `/embeddings` into. Request types are
// Encodable with the targets' exact field names; answer types are Decodable and lenient.

// MARK: Gemini (AI Studio `embedContent` / `batchEmbedContents`, camelCase)

/// `POST /v1beta/models/<m>:embedContent`, and each entry of a batch's `requests`.
package struct GeminiEmbedContentRequest: Codable, Sendable, Equatable {
    /// `models/<m>`: optional for `embedContent`, required in each batch entry.
    package var model: String?
    package var content: GeminiEmbedContent
    package var outputDimensionality: Int?

    package struct GeminiEmbedContent: Codable, Sendable, Equatable {
        package var parts: [GeminiTextPart]
    }

    package struct GeminiTextPart: Codable, Sendable, Equatable {
        package var text: String
    }
}

/// `POST /v1beta/models/<m>:batchEmbedContents`.
package struct GeminiBatchEmbedContentsRequest: Codable, Sendable, Equatable {
    package var requests: [GeminiEmbedContentRequest]
}

/// Values are decoded as `Double` so their decimal text reaches the client unchanged.
/// `{"embedding":{"values":[…]}}` (single) or `{"embeddings":[{"values":[…]}]}` (batch).
/// Gemini reports no token counts for embeddings.
package struct GeminiEmbedContentResponse: Decodable, Sendable, Equatable {
    package var embedding: GeminiEmbeddingValues?
    package var embeddings: [GeminiEmbeddingValues]?
}

package struct GeminiEmbeddingValues: Decodable, Sendable, Equatable {
    package var values: [Double]?
}

// MARK: Cohere `/v2/embed`

package struct CohereEmbedRequest: Codable, Sendable, Equatable {
    package var model: String?
    package var texts: [String]
    package var inputType: String
    package var embeddingTypes: [String]?
    /// Only embed-v4 and later accept it; older models answer 400, which is the truth.
    package var outputDimension: Int?

    enum CodingKeys: String, CodingKey {
        case model, texts
        case inputType = "input_type"
        case embeddingTypes = "embedding_types"
        case outputDimension = "output_dimension"
    }
}

/// Cohere `/v2/embed` and Cohere-on-Bedrock answers. `embeddings` is `{"float":[[…]]}` when
/// `embedding_types` was sent (`response_type: embeddings_by_type`) and a bare `[[…]]` when it
/// was not (`embeddings_floats`, Bedrock's default).
package struct CohereEmbedResponse: Decodable, Sendable, Equatable {
    package var id: String?
    package var embeddings: [[Double]]
    package var meta: Meta?

    package struct Meta: Decodable, Sendable, Equatable {
        package var billedUnits: BilledUnits?
        enum CodingKeys: String, CodingKey { case billedUnits = "billed_units" }
    }

    package struct BilledUnits: Decodable, Sendable, Equatable {
        package var inputTokens: Double?
        enum CodingKeys: String, CodingKey { case inputTokens = "input_tokens" }
    }

    enum CodingKeys: String, CodingKey { case id, embeddings, meta }

    private struct EmbeddingsByType: Decodable {
        var float: [[Double]]?
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        meta = try container.decodeIfPresent(Meta.self, forKey: .meta)
        if let floats = try? container.decode([[Double]].self, forKey: .embeddings) {
            embeddings = floats
        } else {
            let byType = try container.decode(EmbeddingsByType.self, forKey: .embeddings)
            guard let floats = byType.float else {
                throw DecodingError.dataCorruptedError(
                    forKey: .embeddings, in: container, debugDescription: "no float embeddings")
            }
            embeddings = floats
        }
    }
}

// MARK: Bedrock InvokeModel bodies

/// Amazon Titan text embeddings: one text per InvokeModel call.
package struct TitanEmbedRequest: Codable, Sendable, Equatable {
    package var inputText: String
    /// Titan v2 only (256, 512 or 1024).
    package var dimensions: Int?
    /// Titan v2 only; OpenAI's embeddings are unit length, so the router asks for the same.
    package var normalize: Bool?
}

package struct TitanEmbedResponse: Decodable, Sendable, Equatable {
    package var embedding: [Double]
    package var inputTextTokenCount: Int?
}

/// Cohere embed on Bedrock: the same `texts`/`input_type` as Cohere's own API, no `model`.
package struct BedrockCohereEmbedRequest: Codable, Sendable, Equatable {
    package var texts: [String]
    package var inputType: String
    package var embeddingTypes: [String]?

    enum CodingKeys: String, CodingKey {
        case texts
        case inputType = "input_type"
        case embeddingTypes = "embedding_types"
    }
}
