import Foundation
import Gateway

/// `POST /api/policies/tool-invocation` and `POST /api/policies/trusted-data`. The limits are
/// the document's (`ToolInvocationPolicyCreate`, `TrustedDataPolicyCreate`).
struct CreateToolPolicyRequest: Decodable {
    var profileID: UUID?
    var toolName: String
    var conditions: [ToolPolicyCondition]
    var action: ToolPolicyAction
    var reason: String?

    static let maximumToolNameLength = 200
    static let maximumConditions = 32
    static let maximumKeyLength = 500
    static let maximumValueLength = 2000
    static let maximumReasonLength = 1000

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
        guard (1...Self.maximumToolNameLength).contains(self.toolName.count) else {
            throw AdminAPIError.invalidField("tool_name", "must be 1 to \(Self.maximumToolNameLength) characters")
        }
        let conditions = try container.decodeUnlessAbsent([StrictCondition].self, forKey: .conditions) ?? []
        guard conditions.count <= Self.maximumConditions else {
            throw AdminAPIError.invalidField("conditions", "may hold at most \(Self.maximumConditions) conditions")
        }
        self.conditions = conditions.map(\.condition)
        let actionText = try container.decode(String.self, forKey: .action)
        guard let action = ToolPolicyAction(rawValue: actionText) else {
            throw AdminAPIError.invalidField("action", "must be one of \(ToolPolicyAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.action = action
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        if let reason = self.reason, reason.count > Self.maximumReasonLength {
            throw AdminAPIError.invalidField("reason", "must be at most \(Self.maximumReasonLength) characters")
        }
    }

    /// `{key, operator, value}`, nothing else.
    struct StrictCondition: Decodable {
        var condition: ToolPolicyCondition

        enum CodingKeys: String, CodingKey, CaseIterable {
            case key, `operator`, value
        }

        init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(besides: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let key = try container.decode(String.self, forKey: .key)
            guard (1...CreateToolPolicyRequest.maximumKeyLength).contains(key.count) else {
                throw AdminAPIError.invalidField("conditions[].key", "must be 1 to \(CreateToolPolicyRequest.maximumKeyLength) characters")
            }
            let operatorText = try container.decode(String.self, forKey: .operator)
            guard let op = ToolPolicyOperator(rawValue: operatorText) else {
                throw AdminAPIError.invalidField("conditions[].operator", "must be one of \(ToolPolicyOperator.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let value = try container.decode(String.self, forKey: .value)
            guard value.count <= CreateToolPolicyRequest.maximumValueLength else {
                throw AdminAPIError.invalidField("conditions[].value", "must be at most \(CreateToolPolicyRequest.maximumValueLength) characters")
            }
            self.condition = ToolPolicyCondition(key: key, operator: op, value: value)
        }
    }
}
