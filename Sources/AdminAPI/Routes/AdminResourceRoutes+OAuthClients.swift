import Hummingbird

extension AdminResourceRoutes {
    /// `/api/oauth-clients`. The secret is in the creation answer only; `DELETE` revokes the
    /// client and its tokens.
    func registerOAuthClients(on group: RouterGroup<Context>) {
        let resource = "OAuth client"
        group.get("oauth-clients") { _, context in
            try await self.respond(context) { try self.json(try await self.administration.oauthClients()) }
        }
        group.post("oauth-clients") { request, context in
            try await self.respond(context) {
                let body = try await JSONRequestBody.decode(CreateOAuthClientRequest.self, from: request)
                let created = try await self.administration.createOAuthClient(
                    name: body.name, allowedProxyIDs: body.allowedProxyIDs ?? [], providerKeyIDs: body.providerKeyIDs ?? []
                )
                self.audit("oauth_client.create", id: created.client.id, context: context)
                return try self.json(created, status: .created)
            }
        }
        group.get("oauth-clients/{id}") { _, context in
            try await self.respond(context) {
                try self.json(try await self.administration.oauthClient(id: try self.id(context, resource: resource)))
            }
        }
        group.patch("oauth-clients/{id}") { request, context in
            try await self.respond(context) {
                let id = try self.id(context, resource: resource)
                let body = try await JSONRequestBody.decode(UpdateOAuthClientRequest.self, from: request)
                let client = try await self.administration.updateOAuthClient(
                    id: id, name: body.name, allowedProxyIDs: body.allowedProxyIDs, providerKeyIDs: body.providerKeyIDs
                )
                self.audit("oauth_client.update", id: id, context: context)
                return try self.json(client)
            }
        }
        group.delete("oauth-clients/{id}") { _, context in
            try await self.respond(context) {
                let id = try self.id(context, resource: resource)
                try await self.administration.revokeOAuthClient(id: id)
                self.audit("oauth_client.revoke", id: id, context: context)
                return self.noContent()
            }
        }
    }
}
