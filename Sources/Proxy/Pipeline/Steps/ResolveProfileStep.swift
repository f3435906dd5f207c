import Foundation
import Gateway

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
        guard let id = exchange.route.profileID else {
            exchange.profile = try await self.directory.lookup { try await self.directory.defaultProfile() }
            return
        }
        if case .oauthClient(let client) = exchange.caller, !client.allowedProfileIDs.contains(id) {
            throw .forbidden("This OAuth client is not allowed to use profile or LLM proxy \(id.uuidString.lowercased()).")
        }
        guard let profile = try await self.directory.lookup({ try await self.directory.profile(id: id) }) else {
            throw .unknownProfile(id)
        }
        exchange.profile = profile
    }
}
