/// Token usage, with the details OpenAI reports (cached prompt tokens, reasoning tokens).
package struct Usage: Sendable, Equatable, Codable {
    package var promptTokens: Int
    package var completionTokens: Int
    package var totalTokens: Int
    package var promptTokensDetails: PromptTokensDetails?
    package var completionTokensDetails: CompletionTokensDetails?

    /// `totalTokens` defaults to prompt + completion.
    package init(
        promptTokens: Int,
        completionTokens: Int,
        totalTokens: Int? = nil,
        cachedTokens: Int? = nil,
        reasoningTokens: Int? = nil
    ) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens + completionTokens
        self.promptTokensDetails = cachedTokens.map { PromptTokensDetails(cachedTokens: $0) }
        self.completionTokensDetails = reasoningTokens.map { CompletionTokensDetails(reasoningTokens: $0) }
    }

    package struct PromptTokensDetails: Sendable, Equatable, Codable {
        package var cachedTokens: Int?
        package var audioTokens: Int?

        package init(cachedTokens: Int?, audioTokens: Int? = nil) {
            self.cachedTokens = cachedTokens
            self.audioTokens = audioTokens
        }

        enum CodingKeys: String, CodingKey {
            case cachedTokens = "cached_tokens"
            case audioTokens = "audio_tokens"
        }
    }

    package struct CompletionTokensDetails: Sendable, Equatable, Codable {
        package var reasoningTokens: Int?
        package var audioTokens: Int?

        package init(reasoningTokens: Int?, audioTokens: Int? = nil) {
            self.reasoningTokens = reasoningTokens
            self.audioTokens = audioTokens
        }

        enum CodingKeys: String, CodingKey {
            case reasoningTokens = "reasoning_tokens"
            case audioTokens = "audio_tokens"
        }
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case promptTokensDetails = "prompt_tokens_details"
        case completionTokensDetails = "completion_tokens_details"
    }
}
