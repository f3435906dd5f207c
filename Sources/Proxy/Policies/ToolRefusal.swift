import WireFormats

/// The texts a blocked tool call or tool result becomes (Archestra's `tool-refusal.ts`), so that
/// the client's user — and the model on the next turn — can see what happened and why.
package struct ToolRefusal: Sendable, Hashable {
    package var toolName: String
    /// The call's arguments as compact JSON.
    package var arguments: String
    package var reason: String

    package init(call: ObservedToolCall, reason: String) {
        self.toolName = call.name
        self.arguments = call.arguments.encodedString()
        self.reason = reason
    }

    /// The content message: plain text a chat UI shows as the assistant's answer.
    package var content: String {
        """
        Archestra LLM Proxy blocked unsafe tool call: \(self.toolName) with arguments: \(self.arguments).

        Reason: \(self.reason)

        The proxy checks every tool call the model makes against the tool policies of this profile. \
        If this call should be allowed, ask your administrator to review the tool policies.
        """
    }

    /// The refusal message: the content prefixed by machine-readable tags.
    package var tagged: String {
        "<archestra-tool-name>\(self.toolName)</archestra-tool-name>"
            + "<archestra-tool-arguments>\(self.arguments)</archestra-tool-arguments>"
            + "<archestra-tool-reason>\(self.reason)</archestra-tool-reason>\n\n" + self.content
    }

    /// What replaces a blocked tool result in the request sent upstream.
    package static func blockedResultText(reason: String) -> String {
        "[Content blocked by Archestra security guardrails: \(reason)]"
    }
}
