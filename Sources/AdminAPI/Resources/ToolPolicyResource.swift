import Foundation
package import Gateway

/// A tool policy as the admin API and the CLI print it.
package struct ToolPolicyResource: Encodable, Sendable, Equatable {
    package var policy: ToolPolicy

    package init(_ policy: ToolPolicy) {
        self.policy = policy
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, conditions, action, reason
        case profileID = "profile_id"
        case toolName = "tool_name"
        case createdAt = "created_at"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeID(self.policy.id, forKey: .id)
        try container.encode(self.policy.kind.rawValue, forKey: .kind)
        if let profileID = self.policy.profileID {
            try container.encodeID(profileID, forKey: .profileID)
        } else {
            try container.encodeNil(forKey: .profileID)
        }
        try container.encode(self.policy.toolName, forKey: .toolName)
        try container.encode(self.policy.conditions, forKey: .conditions)
        try container.encode(self.policy.action.rawValue, forKey: .action)
        try container.encode(self.policy.reason, forKey: .reason)
        try container.encode(self.policy.createdAt, forKey: .createdAt)
    }
}
