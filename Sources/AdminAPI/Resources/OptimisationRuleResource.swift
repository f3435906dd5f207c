import Foundation
package import Gateway

/// A model optimisation rule as the admin API and the CLI print it.
package struct OptimisationRuleResource: Encodable, Sendable, Equatable {
    package var rule: OptimisationRule

    package init(_ rule: OptimisationRule) {
        self.rule = rule
    }

    enum CodingKeys: String, CodingKey {
        case id, provider, conditions, enabled
        case targetModel = "target_model"
        case createdAt = "created_at"
    }

    enum ConditionKeys: String, CodingKey {
        case maxPromptTokens = "max_prompt_tokens"
        case hasTools = "has_tools"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeID(self.rule.id, forKey: .id)
        try container.encode(self.rule.provider, forKey: .provider)
        try container.encode(self.rule.targetModel, forKey: .targetModel)
        var conditions = container.nestedContainer(keyedBy: ConditionKeys.self, forKey: .conditions)
        try conditions.encodeIfPresent(self.rule.conditions.maxPromptTokens, forKey: .maxPromptTokens)
        try conditions.encodeIfPresent(self.rule.conditions.hasTools, forKey: .hasTools)
        try container.encode(self.rule.enabled, forKey: .enabled)
        try container.encode(self.rule.createdAt, forKey: .createdAt)
    }
}
