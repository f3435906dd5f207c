import Foundation
import Gateway

/// `POST /api/policies/tool-invocation` and `POST /api/policies/trusted-data`.
struct CreateToolPolicyRequest: Decodable {
    var profileID: UUID?
    var toolName: String
    var conditions: [ToolPolicyCondition]
    var action: ToolPolicyAction
    var reason: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case conditions, action, reason
        case profileID = "profile_id"
        case toolName = "tool_name"
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try container.decodeIfPresent(String.self, forKey: .profileID) {
            guard let id = UUID(uuidString: text) else { throw AdminAPIError.invalidField("profile_id", "must be a UUID") }
            self.profileID = id
        }
        self.toolName = try container.decode(String.self, forKey: .toolName)
        self.conditions = try container.decodeIfPresent([ToolPolicyCondition].self, forKey: .conditions) ?? []
        let actionText = try container.decode(String.self, forKey: .action)
        guard let action = ToolPolicyAction(rawValue: actionText) else {
            throw AdminAPIError.invalidField("action", "must be one of \(ToolPolicyAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.action = action
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
    }
}
