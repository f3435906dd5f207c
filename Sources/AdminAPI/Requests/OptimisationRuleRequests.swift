import Foundation
import Gateway

/// `POST /api/optimisation-rules`: `{provider, target_model, conditions: {max_prompt_tokens?,
/// has_tools?}, enabled?}`; `enabled` defaults to `true`.
struct CreateOptimisationRuleRequest: Decodable {
    var provider: String
    var targetModel: String
    var conditions: OptimisationConditions
    var enabled: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case provider, conditions, enabled
        case targetModel = "target_model"
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.provider = try container.decode(String.self, forKey: .provider)
        self.targetModel = try container.decode(String.self, forKey: .targetModel)
        self.conditions = try container.decode(StrictConditions.self, forKey: .conditions).conditions
        self.enabled = try container.decodeUnlessAbsent(Bool.self, forKey: .enabled) ?? true
    }

    /// The conditions object; unknown members are refused (a misspelt condition would otherwise
    /// make a rule that applies to every request).
    struct StrictConditions: Decodable {
        var conditions: OptimisationConditions

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxPromptTokens = "max_prompt_tokens"
            case hasTools = "has_tools"
        }

        init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(besides: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.conditions = OptimisationConditions(
                maxPromptTokens: try container.decodeIntegerIfPresent(forKey: .maxPromptTokens),
                hasTools: try container.decodeIfPresent(Bool.self, forKey: .hasTools))
        }
    }
}

/// `PATCH /api/optimisation-rules/{id}`: `{enabled}`, the one thing a rule changes in place; a
/// rule with other conditions is a new rule (its place in the order is its creation time).
struct UpdateOptimisationRuleRequest: Decodable {
    var enabled: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.enabled = try container.decode(Bool.self, forKey: .enabled)
    }
}
