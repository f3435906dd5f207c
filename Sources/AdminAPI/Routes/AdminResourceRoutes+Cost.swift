import Foundation
import Gateway
import Hummingbird

extension AdminResourceRoutes {
    /// `/api/limits` (create, list with usage, delete) and `/api/model-prices` (list, set, delete).
    func registerCost(on group: RouterGroup<Context>) {
        group.get("limits") { _, context in
            try await self.respond(context) { try self.json(try await self.administration.limits()) }
        }
        group.post("limits") { request, context in
            try await self.respond(context) {
                let body = try await JSONRequestBody.decode(CreateLimitRequest.self, from: request)
                let limit = try await self.administration.createLimit(
                    entity: try Self.entity(type: body.entityType, id: body.entityID), usd: body.usd, window: body.window, models: body.models)
                self.audit("limit.create", id: limit.id, context: context)
                return try self.json(limit, status: .created)
            }
        }
        group.delete("limits/{id}") { _, context in
            try await self.respond(context) {
                let id = try self.id(context, resource: "limit")
                try await self.administration.deleteLimit(id: id)
                self.audit("limit.delete", id: id, context: context)
                return self.noContent()
            }
        }
        group.get("model-prices") { _, context in
            try await self.respond(context) { try self.json(try await self.administration.modelPrices()) }
        }
        group.put("model-prices/{model}") { request, context in
            try await self.respond(context) {
                let model = context.parameters.get("model") ?? ""
                let body = try await JSONRequestBody.decode(SetModelPriceRequest.self, from: request)
                let price = try await self.administration.setModelPrice(
                    model: model, input: body.input, output: body.output, cacheRead: body.cacheRead, cacheWrite: body.cacheWrite)
                return try self.json(price)
            }
        }
        group.delete("model-prices/{model}") { _, context in
            try await self.respond(context) {
                try await self.administration.deleteModelPrice(model: context.parameters.get("model") ?? "")
                return self.noContent()
            }
        }
    }

    static func entity(type: String, id: String?) throws(AdminAPIError) -> SpendLimit.Entity {
        switch type {
        case "organization":
            guard id == nil else { throw AdminAPIError.invalidField("entity_id", "must be absent for an organization limit") }
            return .organization
        case "virtual_key", "profile":
            guard let id, let uuid = UUID(uuidString: id) else { throw AdminAPIError.invalidField("entity_id", "must be the \(type)'s id (a UUID)") }
            return type == "virtual_key" ? .virtualKey(uuid) : .profile(uuid)
        default:
            throw AdminAPIError.invalidField("entity_type", "must be virtual_key, profile or organization")
        }
    }
}
