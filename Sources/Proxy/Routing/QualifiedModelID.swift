/// A provider-qualified model id, `<provider>:<native id>`, split at the first colon so that the
/// native id may hold more (`bedrock:amazon.nova-pro-v1:0`).
package struct QualifiedModelID: Sendable, Equatable, CustomStringConvertible {
    /// The provider route segment the request goes to (`deepseek:` resolves to `bedrock`).
    package let providerID: String
    /// The id the provider knows the model by.
    package let nativeModel: String
    /// The prefix as the client wrote it, for `/models` and answers.
    package let prefix: String

    /// Prefixes that name models served by another provider: DeepSeek is reached through Bedrock
    /// inference profiles (the provider reference's `deepseek:`).
    package static let aliases: [String: String] = ["deepseek": "bedrock"]

    package init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let prefix = String(text[..<colon]).lowercased()
        let native = String(text[text.index(after: colon)...])
        guard !prefix.isEmpty, !native.isEmpty else { return nil }
        self.prefix = prefix
        self.providerID = Self.aliases[prefix] ?? prefix
        self.nativeModel = native
    }

    private init(providerID: String, nativeModel: String, prefix: String) {
        self.providerID = providerID
        self.nativeModel = nativeModel
        self.prefix = prefix
    }

    /// The same provider, another of its models (an optimisation rule's target).
    package func replacingNativeModel(with model: String) -> QualifiedModelID {
        QualifiedModelID(providerID: self.providerID, nativeModel: model, prefix: self.prefix)
    }

    package var description: String { "\(prefix):\(nativeModel)" }
}
