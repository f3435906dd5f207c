/// One Messages stream event's `data`, read loosely: every event type shares this shape, with
/// the fields its type uses (`message` on message_start, `index`/`content_block` on
/// content_block_start, `delta` on both delta events, `usage` on message_delta, `error` on error).
struct AnthropicStreamEvent: Decodable {
    var type: String
    var message: AnthropicMessagesResponse?
    var index: Int?
    var contentBlock: AnthropicResponseBlock?
    var delta: Delta?
    var usage: AnthropicUsage?
    var error: AnthropicErrorBody.Detail?

    struct Delta: Decodable {
        /// text_delta, input_json_delta, thinking_delta, signature_delta, citations_delta;
        /// absent on message_delta.
        var type: String?
        var text: String?
        var partialJSON: String?
        var thinking: String?
        var stopReason: String?

        enum CodingKeys: String, CodingKey {
            case type, text, thinking
            case partialJSON = "partial_json"
            case stopReason = "stop_reason"
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, message, index, delta, usage, error
        case contentBlock = "content_block"
    }
}
