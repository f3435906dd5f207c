/// One v2 chat stream event, discriminated by `type` inside `data` (PROTOCOLS.md §6.2).
///
/// The same `delta.message` key holds different shapes per event type: `message-start` sends
/// `content: []` and `tool_calls: []` (arrays), `content-*` and `tool-call-*` send single objects.
/// The object-valued fields are therefore decoded only when they are objects.
package struct CohereStreamEvent: Decodable, Sendable, Equatable {
    package var type: String
    package var id: String?
    package var index: Int?
    package var delta: Delta?

    package struct Delta: Decodable, Sendable, Equatable {
        package var message: Message?
        package var finishReason: String?
        package var usage: CohereUsage?
        /// `message-end` may carry an error string when the generation failed.
        package var error: String?

        enum CodingKeys: String, CodingKey {
            case message, usage, error
            case finishReason = "finish_reason"
        }
    }

    package struct Message: Decodable, Sendable, Equatable {
        package var role: String?
        package var content: ContentDelta?
        package var toolPlan: String?
        package var toolCalls: ToolCallDelta?

        enum CodingKeys: String, CodingKey {
            case role, content
            case toolPlan = "tool_plan"
            case toolCalls = "tool_calls"
        }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = try? container.decodeIfPresent(String.self, forKey: .role)
            // Arrays on message-start, objects afterwards: keep only the object form.
            content = try? container.decodeIfPresent(ContentDelta.self, forKey: .content)
            toolPlan = try? container.decodeIfPresent(String.self, forKey: .toolPlan)
            toolCalls = try? container.decodeIfPresent(ToolCallDelta.self, forKey: .toolCalls)
        }
    }

    /// `{"type":"text","text":"…"}` or `{"type":"thinking","thinking":"…"}`; deltas omit `type`.
    package struct ContentDelta: Decodable, Sendable, Equatable {
        package var type: String?
        package var text: String?
        package var thinking: String?
    }

    /// `tool-call-start` sends id, type and name; `tool-call-delta` sends argument fragments.
    package struct ToolCallDelta: Decodable, Sendable, Equatable {
        package var id: String?
        package var type: String?
        package var function: FunctionDelta?
    }

    package struct FunctionDelta: Decodable, Sendable, Equatable {
        package var name: String?
        package var arguments: String?
    }
}
