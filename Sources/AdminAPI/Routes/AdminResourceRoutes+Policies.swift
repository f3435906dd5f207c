import Foundation
import Gateway
import Hummingbird

extension AdminResourceRoutes {
    /// `/api/policies/tool-invocation` and `/api/policies/trusted-data`: list (`?profile_id=`
    /// narrows to one profile's own), create, get, delete. A policy is replaced by deleting it
    /// and creating another.
    func registerToolPolicies(on group: RouterGroup<Context>) {
        for kind in ToolPolicyKind.allCases {
            let path = RouterPath("policies/\(kind == .toolInvocation ? "tool-invocation" : "trusted-data")")
            let resource = GatewayAdministration.resourceName(kind)
            group.get(path) { request, context in
                try await self.respond(context) {
                    var profileID: UUID?
                    if let text = request.uri.queryParameters.get("profile_id") {
                        guard let id = UUID(uuidString: text) else { throw AdminAPIError.invalidField("profile_id", "must be a UUID") }
                        profileID = id
                    }
                    return try self.json(try await self.administration.toolPolicies(kind: kind, profileID: profileID))
                }
            }
            group.post(path) { request, context in
                try await self.respond(context) {
                    let body = try await JSONRequestBody.decode(CreateToolPolicyRequest.self, from: request)
                    let policy = try await self.administration.createToolPolicy(
                        ToolPolicyDraft(
                            kind: kind, profileID: body.profileID, toolName: body.toolName, conditions: body.conditions,
                            action: body.action, reason: body.reason
                        ))
                    self.audit("\(kind.rawValue)_policy.create", id: policy.policy.id, context: context)
                    return try self.json(policy, status: .created)
                }
            }
            let item = RouterPath("\(path)/{id}")
            group.get(item) { _, context in
                try await self.respond(context) {
                    try self.json(try await self.administration.toolPolicy(id: try self.id(context, resource: resource), kind: kind))
                }
            }
            group.delete(item) { _, context in
                try await self.respond(context) {
                    let id = try self.id(context, resource: resource)
                    try await self.administration.deleteToolPolicy(id: id, kind: kind)
                    self.audit("\(kind.rawValue)_policy.delete", id: id, context: context)
                    return self.noContent()
                }
            }
        }
    }
}
