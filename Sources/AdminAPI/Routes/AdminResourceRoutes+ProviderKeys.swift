import Hummingbird

extension AdminResourceRoutes {
    /// `/api/provider-keys`. The key goes in once (`api_key`) and never comes back out.
    func registerProviderKeys(on group: RouterGroup<Context>) {
        let resource = "provider key"
        group.get("provider-keys") { _, context in
            try await self.respond(context) { try self.json(try await self.administration.providerKeys()) }
        }
        group.post("provider-keys") { request, context in
            try await self.respond(context) {
                let body = try await JSONRequestBody.decode(CreateProviderKeyRequest.self, from: request)
                let key = try await self.administration.createProviderKey(
                    provider: body.provider, apiKey: body.apiKey, name: body.name, baseURL: body.baseURL, extraHeaders: body.extraHeaders,
                    isPrimary: body.isPrimary
                )
                self.audit("provider_key.create", id: key.id, context: context)
                return try self.json(key, status: .created)
            }
        }
        group.get("provider-keys/{id}") { _, context in
            try await self.respond(context) {
                try self.json(try await self.administration.providerKey(id: try self.id(context, resource: resource)))
            }
        }
        group.patch("provider-keys/{id}") { request, context in
            try await self.respond(context) {
                let id = try self.id(context, resource: resource)
                let body = try await JSONRequestBody.decode(UpdateProviderKeyRequest.self, from: request)
                let key = try await self.administration.updateProviderKey(
                    id: id, name: body.name, apiKey: body.apiKey, baseURL: body.baseURL, extraHeaders: body.extraHeaders, isPrimary: body.isPrimary
                )
                self.audit("provider_key.update", id: id, context: context)
                return try self.json(key)
            }
        }
        group.delete("provider-keys/{id}") { _, context in
            try await self.respond(context) {
                let id = try self.id(context, resource: resource)
                try await self.administration.deleteProviderKey(id: id)
                self.audit("provider_key.delete", id: id, context: context)
                return self.noContent()
            }
        }
    }
}
