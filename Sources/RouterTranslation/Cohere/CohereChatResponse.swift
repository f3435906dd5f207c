/// Cohere v2 chat answer (non-streaming), PROTOCOLS.md §6.1. Decoding is lenient: every field is
/// optional so that an answer missing one fails in the translator with a named field, not in
/// `JSONDecoder` with a coding path.
package struct CohereChatResponse: Decodable, Sendable, Equatable {
    package var id: String?
    package var finishReason: String?
    package var message: CohereResponseMessage?
    package var usage: CohereUsage?

    enum CodingKeys: String, CodingKey {
        case id, message, usage
        case finishReason = "finish_reason"
    }
}

package struct CohereResponseMessage: Decodable, Sendable, Equatable {
    package var role: String?
    /// Text and `thinking` parts; Cohere always sends a list here, never a string.
    package var content: [CohereContentPart]?
    package var toolPlan: String?
    package var toolCalls: [CohereToolCall]?

    enum CodingKeys: String, CodingKey {
        case role, content
        case toolPlan = "tool_plan"
        case toolCalls = "tool_calls"
    }
}

/// `usage` of chat answers and `message-end` events.
///
/// `billed_units` are the tokens the customer pays for; `tokens` also count what Cohere adds
/// under the hood (its system template, tool rendering), and `cached_tokens` is a share of
/// `tokens`, not of `billed_units` (real capture: billed 98, tokens 1508, cached 1472).
package struct CohereUsage: Decodable, Sendable, Equatable {
    package var billedUnits: CohereTokenCounts?
    package var tokens: CohereTokenCounts?
    package var cachedTokens: Double?

    enum CodingKeys: String, CodingKey {
        case tokens
        case billedUnits = "billed_units"
        case cachedTokens = "cached_tokens"
    }
}

/// Cohere documents these as numbers (doubles in its SDK), so decode them as such.
package struct CohereTokenCounts: Decodable, Sendable, Equatable {
    package var inputTokens: Double?
    package var outputTokens: Double?

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
    }
}

/// Cohere's error body: `{"id":"…","message":"…"}` (PROTOCOLS.md §6.4).
package struct CohereErrorBody: Decodable, Sendable, Equatable {
    package var id: String?
    package var message: String?
}
