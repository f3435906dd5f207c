import Hummingbird

extension AdminResourceRoutes {
    /// `/api/virtual-keys`. The value is in the creation answer only; `DELETE` revokes (the key
    /// stays listed with `revoked_at`, so its history can be audited).
    func registerVirtualKeys(on group: RouterGroup<Context>) {
        let resource = "virtual key"
        group.get("virtual-keys") { _, context in
            try await self.respond(context) { try self.json(try await self.administration.virtualKeys()) }
        }
        group.post("virtual-keys") { request, context in
            try await self.respond(context) {
                let body = try await JSONRequestBody.decode(CreateVirtualKeyRequest.self, from: request)
                let created = try await self.administration.createVirtualKey(
                    name: body.name, providerKeyIDs: body.providerKeyIDs, expiresAt: body.expiresAt, expiresInSeconds: body.expiresInSeconds
                )
                self.audit("virtual_key.create", id: created.key.id, context: context)
                return try self.json(created, status: .created)
            }
        }
        group.get("virtual-keys/{id}") { _, context in
            try await self.respond(context) {
                try self.json(try await self.administration.virtualKey(id: try self.id(context, resource: resource)))
            }
        }
        group.patch("virtual-keys/{id}") { request, context in
            try await self.respond(context) {
                let id = try self.id(context, resource: resource)
                let body = try await JSONRequestBody.decode(UpdateVirtualKeyRequest.self, from: request)
                let key = try await self.administration.updateVirtualKey(
                    id: id, name: body.name, expiresAt: body.expiresAt, providerKeyIDs: body.providerKeyIDs
                )
                self.audit("virtual_key.update", id: id, context: context)
                return try self.json(key)
            }
        }
        group.delete("virtual-keys/{id}") { _, context in
            try await self.respond(context) {
                let id = try self.id(context, resource: resource)
                try await self.administration.revokeVirtualKey(id: id)
                self.audit("virtual_key.revoke", id: id, context: context)
                return self.noContent()
            }
        }
    }
}
