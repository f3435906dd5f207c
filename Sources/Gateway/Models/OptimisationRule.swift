package import Foundation

/// A model optimisation rule (GATEWAY.md §5): when a request to `provider` is small enough, or
/// has no tools, send it to a cheaper model.
///
/// Rules are organisation-wide and per provider. For each request the enabled rules of its
/// provider are tried oldest first, and the first whose conditions all hold rewrites the
/// request's model to ``targetModel``; the interaction log keeps the model the client asked for
/// as the baseline, so savings can be counted.
package struct OptimisationRule: Sendable, Hashable, Codable {
    package var id: UUID
    /// The provider route name (`openai`, `anthropic`, …) whose requests the rule rewrites.
    package var provider: String
    /// The model the request is sent to when the rule applies, as the provider names it.
    package var targetModel: String
    package var conditions: OptimisationConditions
    /// Disabled rules are kept but never applied.
    package var enabled: Bool
    package var createdAt: Date

    package init(id: UUID, provider: String, targetModel: String, conditions: OptimisationConditions, enabled: Bool, createdAt: Date) {
        self.id = id
        self.provider = provider
        self.targetModel = targetModel
        self.conditions = conditions
        self.enabled = enabled
        self.createdAt = createdAt
    }

    /// Archestra's defaults, which every new database starts with, disabled: short prompts go to
    /// OpenAI's and Anthropic's small models.
    package static let archestraDefaults: [OptimisationRuleDraft] = [
        OptimisationRuleDraft(provider: "openai", targetModel: "gpt-5-mini", conditions: OptimisationConditions(maxPromptTokens: 1000), enabled: false),
        OptimisationRuleDraft(
            provider: "anthropic", targetModel: "claude-haiku-4-5", conditions: OptimisationConditions(maxPromptTokens: 1000), enabled: false),
    ]
}

/// A rule's conditions, ANDed; an absent one always holds. At least one must be present: a rule
/// with none would send every request of its provider to one model, which is a routing decision,
/// not an optimisation.
package struct OptimisationConditions: Sendable, Hashable, Codable {
    /// Holds when the request's estimated prompt and tool-definition tokens are at most this
    /// (Archestra's `maxLength`).
    package var maxPromptTokens: Int?
    /// Holds when the request declares tools (`true`) or declares none (`false`).
    package var hasTools: Bool?

    package init(maxPromptTokens: Int? = nil, hasTools: Bool? = nil) {
        self.maxPromptTokens = maxPromptTokens
        self.hasTools = hasTools
    }

    package var isEmpty: Bool { self.maxPromptTokens == nil && self.hasTools == nil }

    package func hold(for request: OptimisationFacts) -> Bool {
        if let limit = self.maxPromptTokens, request.estimatedPromptTokens > limit { return false }
        if let hasTools = self.hasTools, request.hasTools != hasTools { return false }
        return true
    }
}

/// What the conditions look at in one request.
package struct OptimisationFacts: Sendable, Hashable {
    package var estimatedPromptTokens: Int
    package var hasTools: Bool

    package init(estimatedPromptTokens: Int, hasTools: Bool) {
        self.estimatedPromptTokens = estimatedPromptTokens
        self.hasTools = hasTools
    }
}

/// What a caller supplies to create a rule.
package struct OptimisationRuleDraft: Sendable, Hashable {
    package var provider: String
    package var targetModel: String
    package var conditions: OptimisationConditions
    package var enabled: Bool

    package init(provider: String, targetModel: String, conditions: OptimisationConditions, enabled: Bool = true) {
        self.provider = provider
        self.targetModel = targetModel
        self.conditions = conditions
        self.enabled = enabled
    }

    /// Why the draft cannot be stored, `nil` when it can.
    package var problem: String? {
        if self.provider.isEmpty { return "a rule needs a provider" }
        let model = self.targetModel
        if model.isEmpty || model.count > 200 || model.contains(where: { $0.isWhitespace || $0.isNewline }) {
            return "a rule's target model is 1 to 200 characters with no whitespace"
        }
        if self.conditions.isEmpty { return "a rule needs at least one condition (max_prompt_tokens or has_tools)" }
        if let limit = self.conditions.maxPromptTokens, !(1...10_000_000).contains(limit) {
            return "max_prompt_tokens must be between 1 and 10000000"
        }
        return nil
    }
}

/// The enabled rules of every provider, oldest first, for the hot path.
package struct OptimisationRuleSet: Sendable {
    package static let empty = OptimisationRuleSet(rules: [])

    private let byProvider: [String: [OptimisationRule]]

    package init(rules: [OptimisationRule]) {
        let enabled = rules.filter(\.enabled).sorted { $0.createdAt < $1.createdAt }
        self.byProvider = Dictionary(grouping: enabled, by: \.provider)
    }

    /// `true` when `provider` has no enabled rule: the request's body need not be read.
    package func isEmpty(provider: String) -> Bool {
        self.byProvider[provider]?.isEmpty ?? true
    }

    /// The first enabled rule of `provider` whose conditions hold for the request.
    package func firstMatch(provider: String, request: OptimisationFacts) -> OptimisationRule? {
        self.byProvider[provider]?.first { $0.conditions.hold(for: request) }
    }
}
