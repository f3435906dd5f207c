import Foundation
import Gateway
import Hummingbird

extension AdminResourceRoutes {
    /// `/api/optimisation-rules`: list (in the order they are tried), create, get, enable or
    /// disable (`PATCH {enabled}`), delete.
    func registerOptimisationRules(on group: RouterGroup<Context>) {
        let resource = GatewayAdministration.optimisationRuleName
        group.get("optimisation-rules") { _, context in
            try await self.respond(context) { try self.json(try await self.administration.optimisationRules()) }
        }
        group.post("optimisation-rules") { request, context in
            try await self.respond(context) {
                let body = try await JSONRequestBody.decode(CreateOptimisationRuleRequest.self, from: request)
                let rule = try await self.administration.createOptimisationRule(
                    OptimisationRuleDraft(provider: body.provider, targetModel: body.targetModel, conditions: body.conditions, enabled: body.enabled))
                self.audit("optimisation_rule.create", id: rule.rule.id, context: context)
                return try self.json(rule, status: .created)
            }
        }
        group.get("optimisation-rules/{id}") { _, context in
            try await self.respond(context) {
                try self.json(try await self.administration.optimisationRule(id: try self.id(context, resource: resource)))
            }
        }
        group.patch("optimisation-rules/{id}") { request, context in
            try await self.respond(context) {
                let id = try self.id(context, resource: resource)
                let body = try await JSONRequestBody.decode(UpdateOptimisationRuleRequest.self, from: request)
                let rule = try await self.administration.setOptimisationRuleEnabled(id: id, enabled: body.enabled)
                self.audit(body.enabled ? "optimisation_rule.enable" : "optimisation_rule.disable", id: id, context: context)
                return try self.json(rule)
            }
        }
        group.delete("optimisation-rules/{id}") { _, context in
            try await self.respond(context) {
                let id = try self.id(context, resource: resource)
                try await self.administration.deleteOptimisationRule(id: id)
                self.audit("optimisation_rule.delete", id: id, context: context)
                return self.noContent()
            }
        }
    }
}
