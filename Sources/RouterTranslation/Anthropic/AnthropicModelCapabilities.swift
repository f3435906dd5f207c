/// What a Claude model accepts, read from its id, for the choices the OpenAI request leaves open
/// (the output limit when the client sets none, whether `reasoning_effort` can become extended
/// thinking). Ids take two forms: `claude-3-5-sonnet-20241022` (version first) and
/// `claude-sonnet-4-5-20250929` (family first); dates and `latest` are ignored.
package struct AnthropicModelCapabilities: Sendable, Equatable {
    /// (major, minor), nil for an id that does not parse as a Claude version.
    package let version: (major: Int, minor: Int)?
    package let family: String?

    package init(model: String) {
        let tokens = model.lowercased().split(separator: "-").map(String.init)
        var numbers: [Int] = []
        var family: String?
        for token in tokens {
            if ["haiku", "sonnet", "opus"].contains(token) {
                family = token
            } else if token.count <= 2, let number = Int(token) {
                numbers.append(number)
            }
        }
        self.family = family
        self.version = numbers.first.map { (major: $0, minor: numbers.count > 1 ? numbers[1] : 0) }
    }

    package static func == (lhs: AnthropicModelCapabilities, rhs: AnthropicModelCapabilities) -> Bool {
        lhs.family == rhs.family && lhs.version?.major == rhs.version?.major && lhs.version?.minor == rhs.version?.minor
    }

    private func isAtLeast(_ major: Int, _ minor: Int) -> Bool {
        guard let version else { return false }
        return version.major > major || (version.major == major && version.minor >= minor)
    }

    /// Extended thinking exists from Claude 3.7 Sonnet on; older and unknown ids get none, so
    /// `reasoning_effort` is dropped (and reported) rather than risking a 400.
    package var supportsThinking: Bool { isAtLeast(3, 7) }

    /// The model's own output ceiling, where known: a default above it would be a 400.
    package var maxOutputTokens: Int? {
        guard let version else { return nil }
        switch (version.major, version.minor) {
        case (3, 0...4): return 4096
        case (3, 5...6): return 8192
        case (3, _): return 64000
        case (4, 0...1) where family == "opus": return 32000
        default: return 64000
        }
    }

    /// `max_tokens` when the client sets neither `max_tokens` nor `max_completion_tokens`.
    ///
    /// Anthropic requires the field; OpenAI's default is "as much as the model allows". We send
    /// 8192 (Archestra's default, so answers match the reference), lowered to the model's own
    /// ceiling (4096 on Claude 3 Haiku/Opus, where 8192 would be a 400). Not the model maximum:
    /// Anthropic estimates output-tokens-per-minute rate limits from `max_tokens` up front, so a
    /// 64k default would put low-tier keys into 429s for answers of a few hundred tokens.
    package var defaultMaxTokens: Int { min(8192, maxOutputTokens ?? 8192) }

    /// Claude Opus 4.1, Sonnet 4.5, Haiku 4.5 and later refuse `temperature` and `top_p` together.
    package var rejectsTemperatureWithTopP: Bool { isAtLeast(4, 1) }

    /// The thinking budget for an OpenAI `reasoning_effort`; nil for `none` or an unknown level.
    /// 1024 is Anthropic's minimum budget.
    package static func thinkingBudget(forEffort effort: String) -> Int? {
        switch effort.lowercased() {
        case "minimal": 1024
        case "low": 2048
        case "medium": 8192
        case "high": 16384
        case "xhigh", "max": 32000
        default: nil
        }
    }
}
