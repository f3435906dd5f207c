package import WireFormats

/// The text of a Chat Completions or Responses conversation, reduced to what the deterministic
/// reply needs: who spoke last and what every message said.
package struct OpenAIConversation: Sendable, Hashable {
    package struct Message: Sendable, Hashable {
        package var role: String
        package var text: String
    }

    package var messages: [Message]

    package init(messages: [Message]) { self.messages = messages }

    /// From Chat Completions `messages` (string content or an array of parts; only text parts count).
    package init(chatMessages: [JSONValue]) {
        self.messages = chatMessages.compactMap { message in
            guard let role = message["role"]?.stringValue else { return nil }
            return Message(role: role, text: Self.text(of: message["content"]))
        }
    }

    /// From Responses `instructions` and `input` (a string, or a list of message,
    /// `function_call` and `function_call_output` items). Function call outputs count as `tool`
    /// messages; function calls themselves carry no text.
    package init(responsesInput input: JSONValue?, instructions: String?) {
        var messages: [Message] = []
        if let instructions, !instructions.isEmpty { messages.append(Message(role: "system", text: instructions)) }
        switch input {
        case .string(let text):
            messages.append(Message(role: "user", text: text))
        case .array(let items):
            for item in items {
                switch item["type"]?.stringValue {
                case "function_call_output":
                    messages.append(Message(role: "tool", text: Self.text(of: item["output"])))
                case "function_call":
                    messages.append(Message(role: "assistant", text: ""))
                case "message", nil:
                    messages.append(Message(role: item["role"]?.stringValue ?? "user", text: Self.text(of: item["content"])))
                default:
                    continue
                }
            }
        default:
            break
        }
        self.messages = messages
    }

    /// A content value as text: the string itself, or the text parts of an array joined by a space.
    static func text(of content: JSONValue?) -> String {
        switch content {
        case .string(let text):
            return text
        case .array(let parts):
            return parts.compactMap { part in part.stringValue ?? part["text"]?.stringValue }.joined(separator: " ")
        default:
            return ""
        }
    }

    package var lastMessage: Message? { self.messages.last }

    /// When the conversation ends in tool results: the texts of its trailing `tool` messages (the
    /// results of the last turn, parallel calls' included), in order, joined by a space.
    package var lastToolResults: String? {
        let results = self.messages.reversed().prefix { $0.role == "tool" }
        return results.isEmpty ? nil : results.reversed().map(\.text).joined(separator: " ")
    }

    package var lastUserText: String? { self.messages.last(where: { $0.role == "user" })?.text }

    /// Prompt tokens: whitespace-separated words over every message's text.
    package var promptTokens: Int {
        self.messages.reduce(0) { $0 + DeterministicReply.wordCount(of: $1.text) }
    }
}
