package import Foundation
import WireFormats

/// One ConverseStream event, from the event-stream message's `:event-type` header and its JSON
/// payload. Order on the wire: `messageStart`, per content block [`contentBlockStart`]
/// `contentBlockDelta`… `contentBlockStop`, then `messageStop`, then `metadata`. Text blocks
/// usually have no `contentBlockStart`; tool-use blocks always do. The real service pads every
/// payload with a random `"p"` member, which decoding ignores.
package enum BedrockConverseStreamEvent: Sendable, Equatable {
    case messageStart(role: String)
    case contentBlockStart(index: Int, toolUse: BedrockToolUseStart?)
    case contentBlockDelta(index: Int, delta: BedrockContentBlockDelta)
    case contentBlockStop(index: Int)
    case messageStop(stopReason: String)
    case metadata(usage: BedrockTokenUsage?)
    /// An event type this router does not know (a newer service version): ignored, not fatal.
    case unknown(type: String)

    /// The exception event types ConverseStream can send after the 200, with their HTTP status.
    package static let exceptionStatuses: [String: Int] = [
        "internalServerException": 500, "modelStreamErrorException": 424, "validationException": 400,
        "throttlingException": 429, "serviceUnavailableException": 503,
    ]

    /// Decodes one event; throws `DecodingError` when the payload is not the event's JSON shape.
    package init(eventType: String, payload: Data) throws {
        let decoder = JSONDecoder()
        switch eventType {
        case "messageStart":
            self = .messageStart(role: try decoder.decode(MessageStart.self, from: payload).role)
        case "contentBlockStart":
            let event = try decoder.decode(ContentBlockStart.self, from: payload)
            self = .contentBlockStart(index: event.contentBlockIndex, toolUse: event.start?.toolUse)
        case "contentBlockDelta":
            // Nearly every event of a stream: read by SmallJSONObject when it can.
            if let event = try? Self(contentBlockDelta: payload) {
                self = event
            } else {
                let event = try decoder.decode(ContentBlockDelta.self, from: payload)
                self = .contentBlockDelta(index: event.contentBlockIndex, delta: event.delta)
            }
        case "contentBlockStop":
            self = .contentBlockStop(index: try decoder.decode(ContentBlockStop.self, from: payload).contentBlockIndex)
        case "messageStop":
            self = .messageStop(stopReason: try decoder.decode(MessageStop.self, from: payload).stopReason)
        case "metadata":
            self = .metadata(usage: try decoder.decode(Metadata.self, from: payload).usage)
        default:
            self = .unknown(type: eventType)
        }
    }

    /// A `contentBlockDelta` as the decoder reads it, or a throw when the payload carries a
    /// member of another type than its shape says.
    init(contentBlockDelta payload: Data) throws(SmallJSONObject.Mismatch) {
        guard let object = SmallJSONObject.object(payload) else { throw SmallJSONObject.Mismatch() }
        let delta = try object.requiredObject("delta")
        let toolUse = try delta.optionalObject("toolUse")
        let reasoning = try delta.optionalObject("reasoningContent")
        self = .contentBlockDelta(
            index: try object.requiredInt("contentBlockIndex"),
            delta: BedrockContentBlockDelta(
                text: try delta.optionalString("text"),
                toolUse: try toolUse.map { (toolUse) throws(SmallJSONObject.Mismatch) in BedrockContentBlockDelta.ToolUse(input: try toolUse.requiredString("input")) },
                reasoningContent: try reasoning.map { (reasoning) throws(SmallJSONObject.Mismatch) in
                    BedrockContentBlockDelta.ReasoningContent(
                        text: try reasoning.optionalString("text"), signature: try reasoning.optionalString("signature"),
                        redactedContent: try reasoning.optionalString("redactedContent"))
                }))
    }

    private struct MessageStart: Decodable { var role: String }
    private struct ContentBlockStart: Decodable {
        struct Start: Decodable { var toolUse: BedrockToolUseStart? }
        var contentBlockIndex: Int
        var start: Start?
    }
    private struct ContentBlockDelta: Decodable {
        var contentBlockIndex: Int
        var delta: BedrockContentBlockDelta
    }
    private struct ContentBlockStop: Decodable { var contentBlockIndex: Int }
    private struct MessageStop: Decodable { var stopReason: String }
    private struct Metadata: Decodable { var usage: BedrockTokenUsage? }
}

package struct BedrockToolUseStart: Codable, Sendable, Equatable {
    package var toolUseId: String
    package var name: String

    package init(toolUseId: String, name: String) {
        self.toolUseId = toolUseId
        self.name = name
    }
}

/// One delta: a text fragment, a fragment of the tool input's JSON *string*, or reasoning (text,
/// its signature, or redacted bytes). Exactly one member is set.
package struct BedrockContentBlockDelta: Codable, Sendable, Equatable {
    package struct ToolUse: Codable, Sendable, Equatable {
        package var input: String

        package init(input: String) { self.input = input }
    }

    package struct ReasoningContent: Codable, Sendable, Equatable {
        package var text: String?
        package var signature: String?
        package var redactedContent: String?

        package init(text: String? = nil, signature: String? = nil, redactedContent: String? = nil) {
            self.text = text
            self.signature = signature
            self.redactedContent = redactedContent
        }
    }

    package var text: String?
    package var toolUse: ToolUse?
    package var reasoningContent: ReasoningContent?

    package init(text: String? = nil, toolUse: ToolUse? = nil, reasoningContent: ReasoningContent? = nil) {
        self.text = text
        self.toolUse = toolUse
        self.reasoningContent = reasoningContent
    }
}
