package import Foundation
package import Gateway

/// Pipeline step 2: which profile (or LLM proxy) serves the request. The route's id when it
/// names one — unknown → 404 — else the default profile.
///
/// An OAuth client may name only the ids on its allow-list; any other id → 403, checked before
/// the lookup so that a client cannot probe which ids exist.
package struct ResolveProfileStep: Sendable {
    let directory: any CredentialDirectory

    package init(directory: any CredentialDirectory) {
        self.directory = directory
    }

    package func resolve(_ exchange: inout ProxyExchange) async throws(ProxyError) {
        exchange.profile = try await self.profile(id: exchange.route.profileID, caller: exchange.caller)
    }

    /// The profile `id` names (the default one for `nil`), as `caller` may use it.
    package func profile(id: UUID?, caller: Caller) async throws(ProxyError) -> Profile {
        guard let id else {
            return try await self.directory.lookup { try await self.directory.defaultProfile() }
        }
        if case .oauthClient(let client) = caller, !client.allowedProfileIDs.contains(id) {
            throw .forbidden("This OAuth client is not allowed to use profile or LLM proxy \(id.uuidString.lowercased()).")
        }
        guard let profile = try await self.directory.lookup({ try await self.directory.profile(id: id) }) else {
            throw .unknownProfile(id)
        }
        return profile
    }
}
