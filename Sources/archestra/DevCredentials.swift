import Foundation
import Gateway
import WireFormats

/// The gateway credentials `archestra dev` creates at start so that the quick start shows the
/// gateway working: a virtual key mapping every seeded provider key, and an OAuth client that
/// uses the primary keys. Printed once; the in-memory database forgets them at exit.
struct DevCredentials: Sendable {
    let virtualKey: Secret
    let oauthClientID: String
    let oauthClientSecret: Secret

    static func create(in store: any GatewayStore) async throws -> DevCredentials {
        let keys = try await store.providerKeys().filter(\.isPrimary)
        let (_, value) = try await store.createVirtualKey(VirtualKeyDraft(name: "archestra dev", providerKeyIDs: keys.map(\.id)))
        let (client, secret) = try await store.createOAuthClient(OAuthClientDraft(name: "archestra dev"))
        return DevCredentials(virtualKey: value, oauthClientID: client.clientID, oauthClientSecret: secret)
    }
}
