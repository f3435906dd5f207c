import Hummingbird

extension AdminResourceRoutes {
    /// `/api/profiles` or `/api/llm-proxies`: the same entity seen through its kind.
    func registerProfiles(on group: RouterGroup<Context>, path: RouterPath, collection: ProfileCollection) {
        let resource = collection.singular
        let action = collection == .profiles ? "profile" : "llm_proxy"
        group.get(path) { _, context in
            try await self.respond(context) { try self.json(try await self.administration.profiles(in: collection)) }
        }
        group.post(path) { request, context in
            try await self.respond(context) {
                let body = try await JSONRequestBody.decode(CreateProfileRequest.self, from: request)
                let profile = try await self.administration.createProfile(
                    in: collection, name: body.name, considerContextUntrusted: body.considerContextUntrusted ?? false
                )
                self.audit("\(action).create", id: profile.id, context: context)
                return try self.json(profile, status: .created)
            }
        }
        let item = RouterPath("\(path)/{id}")
        group.get(item) { _, context in
            try await self.respond(context) {
                try self.json(try await self.administration.profile(id: try self.id(context, resource: resource), in: collection))
            }
        }
        group.patch(item) { request, context in
            try await self.respond(context) {
                let id = try self.id(context, resource: resource)
                let body = try await JSONRequestBody.decode(UpdateProfileRequest.self, from: request)
                let profile = try await self.administration.updateProfile(
                    id: id, in: collection, name: body.name, considerContextUntrusted: body.considerContextUntrusted
                )
                self.audit("\(action).update", id: id, context: context)
                return try self.json(profile)
            }
        }
        group.delete(item) { _, context in
            try await self.respond(context) {
                let id = try self.id(context, resource: resource)
                try await self.administration.deleteProfile(id: id, in: collection)
                self.audit("\(action).delete", id: id, context: context)
                return self.noContent()
            }
        }
    }
}
