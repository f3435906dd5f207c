/// The emulator's answer text: a fixed function of the conversation, split into word tokens.
///
/// Rule: after tool results (last message `role: "tool"` / a `function_call_output`) the reply
/// is `Tool result: <outputs>`, every result of that last turn joined by a space (so a parallel
/// round trip answers with all of them); otherwise it is `Echo: <last user message text>`, or `Hello!` when
/// there is no user text. Whitespace is collapsed to single spaces. A token is a
/// whitespace-separated word; streamed deltas are the words, every word after the first with a
/// leading space, so the deltas concatenate to the text.
package struct DeterministicReply: Sendable, Hashable {
    /// Every token of the full reply.
    package let words: [String]

    package init(for conversation: OpenAIConversation) {
        let text: String
        if let results = conversation.lastToolResults {
            text = "Tool result: \(results)"
        } else if let userText = conversation.lastUserText, Self.wordCount(of: userText) > 0 {
            text = "Echo: \(userText)"
        } else {
            text = "Hello!"
        }
        self.words = Self.words(of: text)
    }

    package static func words(of text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    package static func wordCount(of text: String) -> Int {
        text.split(whereSeparator: \.isWhitespace).count
    }

    /// The reply cut to `limit` tokens, when a limit applies.
    package func truncated(to limit: Int?) -> (deltas: [String], text: String, wasTruncated: Bool) {
        let kept = limit.map { Array(self.words.prefix(max(0, $0))) } ?? self.words
        let deltas = kept.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }
        return (deltas, kept.joined(separator: " "), kept.count < self.words.count)
    }
}
