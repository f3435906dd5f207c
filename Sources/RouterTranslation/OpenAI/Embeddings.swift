/// An OpenAI embeddings request (`POST /embeddings`).
package struct EmbeddingsRequest: Sendable, Equatable, Codable {
    package var model: String
    package var input: EmbeddingsInput
    /// `float` (default) or `base64` (little-endian float32, base64-encoded).
    package var encodingFormat: String?
    package var dimensions: Int?
    package var user: String?

    package init(model: String, input: EmbeddingsInput, encodingFormat: String? = nil, dimensions: Int? = nil, user: String? = nil) {
        self.model = model
        self.input = input
        self.encodingFormat = encodingFormat
        self.dimensions = dimensions
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case model, input, dimensions, user
        case encodingFormat = "encoding_format"
    }
}

/// `input`: a string, an array of strings, a token array, or an array of token arrays.
package enum EmbeddingsInput: Sendable, Equatable, Codable {
    case text(String)
    case texts([String])
    case tokens([Int])
    case tokenBatches([[Int]])

    /// The inputs as texts; nil for token input (no translated target takes tokens).
    package var texts: [String]? {
        switch self {
        case .text(let text): [text]
        case .texts(let texts): texts
        case .tokens, .tokenBatches: nil
        }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let texts = try? container.decode([String].self) {
            self = .texts(texts)
        } else if let tokens = try? container.decode([Int].self) {
            self = .tokens(tokens)
        } else {
            self = .tokenBatches(try container.decode([[Int]].self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .texts(let texts): try container.encode(texts)
        case .tokens(let tokens): try container.encode(tokens)
        case .tokenBatches(let batches): try container.encode(batches)
        }
    }
}

/// The embeddings answer, `{"object":"list","data":[…],"model","usage"}`.
package struct EmbeddingsResponse: Sendable, Equatable, Codable {
    package var object: String
    package var data: [Embedding]
    package var model: String
    package var usage: EmbeddingsUsage

    package init(data: [Embedding], model: String, usage: EmbeddingsUsage) {
        self.object = "list"
        self.data = data
        self.model = model
        self.usage = usage
    }

    package struct Embedding: Sendable, Equatable, Codable {
        package var object: String
        package var index: Int
        package var embedding: EmbeddingVector

        package init(index: Int, embedding: EmbeddingVector) {
            self.object = "embedding"
            self.index = index
            self.embedding = embedding
        }
    }

    package struct EmbeddingsUsage: Sendable, Equatable, Codable {
        package var promptTokens: Int
        package var totalTokens: Int

        package init(promptTokens: Int, totalTokens: Int? = nil) {
            self.promptTokens = promptTokens
            self.totalTokens = totalTokens ?? promptTokens
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case totalTokens = "total_tokens"
        }
    }
}

/// A vector as floats, or base64 when the client asked `encoding_format: "base64"`.
package enum EmbeddingVector: Sendable, Equatable, Codable {
    case floats([Double])
    case base64(String)

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .base64(text)
        } else {
            self = .floats(try container.decode([Double].self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .floats(let values): try container.encode(values)
        case .base64(let text): try container.encode(text)
        }
    }
}
