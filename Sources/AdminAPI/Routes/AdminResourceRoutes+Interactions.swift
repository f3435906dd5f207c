import Hummingbird

extension AdminResourceRoutes {
    /// `/api/interactions`: the interaction log, read-only. Lists page newest first by cursor
    /// (`next_cursor` → `cursor`); one row by id carries its bodies.
    func registerInteractions(on group: RouterGroup<Context>) {
        group.get("interactions") { request, context in
            try await self.respond(context) {
                let parameters = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
                let list = try InteractionListRequest(parameters: parameters)
                return try self.json(try await self.administration.interactions(list))
            }
        }
        group.get("interactions/{id}") { _, context in
            try await self.respond(context) {
                try self.json(try await self.administration.interaction(id: try self.id(context, resource: "interaction")))
            }
        }
    }
}
