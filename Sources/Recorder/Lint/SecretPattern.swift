import Foundation

/// A shape of credential that must never be left in a cassette: provider key prefixes, AWS access
/// key ids, JWTs, bearer values and secret query values.
///
/// The patterns are deliberately about shape, not about any one recorder's placeholder: a value
/// the redactor or another recorder replaced (`<redacted>`, `<API_KEY>`, `REDACTED`) is not a
/// secret, anything else of a secret's shape is.
struct SecretPattern: Sendable {
    /// Names the finding, e.g. `openai-style key`.
    let kind: String
    /// Matches the secret; capture group 1, when present, is the value itself.
    let expression: NSRegularExpression

    init(_ kind: String, _ pattern: String) {
        self.kind = kind
        // The patterns are constants of this file; a typo in one fails every lint test at once.
        self.expression = try! NSRegularExpression(pattern: pattern)
    }

    /// The secret-shaped values in `text`, placeholders left out.
    func values(in text: String) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        return self.expression.matches(in: text, range: range).compactMap { match in
            let group = match.numberOfRanges > 1 && match.range(at: 1).location != NSNotFound ? match.range(at: 1) : match.range
            guard let valueRange = Range(group, in: text) else { return nil }
            let value = String(text[valueRange])
            return Self.isPlaceholder(value) ? nil : value
        }
    }

    /// Values other tools put where a secret was: angle-bracketed names, `redacted`, runs of one
    /// character (`xxxx`, `****`), and the obvious fakes test suites use.
    static func isPlaceholder(_ value: String) -> Bool {
        let lowered = value.lowercased()
        if lowered.contains("<") || lowered.contains("redacted") || lowered.contains("placeholder") { return true }
        if lowered.contains("%3c") { return true }  // a percent-encoded `<…>` placeholder in a query
        let body = lowered.drop { !$0.isLetter && !$0.isNumber }
        if let first = body.first, body.allSatisfy({ $0 == first || !($0.isLetter || $0.isNumber) }) { return true }
        for fake in ["xxxx", "****", "dummy", "fake", "your-", "your_", "example", "test-key", "testkey", "mock"] where lowered.contains(fake) {
            return true
        }
        return false
    }

    /// Every shape the linter looks for, in the order findings are reported.
    static let all: [SecretPattern] = [
        // OpenAI (sk-, sk-proj-, sk-svcacct-), Anthropic (sk-ant-…), OpenRouter (sk-or-v1-…), DeepSeek.
        SecretPattern("provider key (sk-)", #"(?<![A-Za-z0-9_-])(sk-[A-Za-z0-9_-]{20,})"#),
        SecretPattern("Google API key", #"(?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})"#),
        SecretPattern("Groq key", #"(?<![A-Za-z0-9_-])(gsk_[A-Za-z0-9]{20,})"#),
        SecretPattern("xAI key", #"(?<![A-Za-z0-9_-])(xai-[A-Za-z0-9]{20,})"#),
        SecretPattern("Perplexity key", #"(?<![A-Za-z0-9_-])(pplx-[A-Za-z0-9]{20,})"#),
        SecretPattern("Cerebras key", #"(?<![A-Za-z0-9_-])(csk-[A-Za-z0-9]{20,})"#),
        SecretPattern("Hugging Face token", #"(?<![A-Za-z0-9_-])(hf_[A-Za-z0-9]{20,})"#),
        SecretPattern("archestra virtual key", #"(?<![A-Za-z0-9_-])(arch_[A-Za-z0-9]{20,})"#),
        SecretPattern("archestra OAuth token", #"(?<![A-Za-z0-9_-])(llm_at_[A-Za-z0-9]{20,})"#),
        SecretPattern("AWS access key id", #"(?<![A-Z0-9])((?:AKIA|ASIA)[0-9A-Z]{16})(?![A-Z0-9])"#),
        SecretPattern("JWT", #"(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})"#),
        SecretPattern("bearer value", #"(?i)\bbearer\s+([A-Za-z0-9._~+/-]{8,}=*)"#),
        SecretPattern("secret query value", #"(?i)[?&](?:key|api_key|api-key|access_token|x-amz-signature|x-amz-security-token)=([^&\s"]+)"#),
    ]
}
