import Foundation
import WireFormats

/// One Messages stream event's `data`, read loosely: every event type shares this shape, with
/// the fields its type uses (`message` on message_start, `index`/`content_block` on
/// content_block_start, `delta` on both delta events, `usage` on message_delta, `error` on error).
struct AnthropicStreamEvent: Decodable {
    /// Decodes one event: a `content_block_delta` by ``SmallJSONObject`` (nearly every event of a
    /// stream), anything else, or anything it does not read, by `JSONDecoder`.
    static func decode(_ data: Data, eventName: String?) throws(TranslationError) -> AnthropicStreamEvent {
        if let event = try? Self(contentBlockDelta: data) { return event }
        return try TranslationJSON.decodeUpstream(Self.self, from: data, what: "Anthropic stream event \(eventName ?? "")")
    }

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

extension AnthropicStreamEvent {
    /// A `content_block_delta` as the decoder reads it, or a throw when the data is any other
    /// event or carries a member this does not map.
    init(contentBlockDelta data: Data) throws(SmallJSONObject.Mismatch) {
        guard let object = SmallJSONObject.object(data), try object.requiredString("type") == "content_block_delta",
            object["message"] == nil, object["content_block"] == nil, object["usage"] == nil, object["error"] == nil
        else { throw SmallJSONObject.Mismatch() }
        let delta = try object.requiredObject("delta")
        self.init(
            type: "content_block_delta", index: try object.requiredInt("index"),
            delta: Delta(
                type: try delta.optionalString("type"), text: try delta.optionalString("text"),
                partialJSON: try delta.optionalString("partial_json"), thinking: try delta.optionalString("thinking"),
                stopReason: try delta.optionalString("stop_reason")))
    }
}
