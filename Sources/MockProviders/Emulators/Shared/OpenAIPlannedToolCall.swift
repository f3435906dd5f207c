/// A tool call the emulator decided to make: the tool and its generated arguments.
package struct OpenAIPlannedToolCall: Sendable, Hashable {
    package let name: String
    /// Arguments as the JSON string the API sends (keys sorted).
    package let arguments: String

    /// The arguments cut into fragments for streaming (8 characters each); the fragment count is
    /// also the call's completion-token count.
    package var argumentFragments: [String] { StructuredReply.fragments(of: self.arguments) }
}
