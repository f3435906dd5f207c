import Foundation
import Gateway
import Testing
import WireFormats

@Suite("OAuth clients and access tokens in the store")
struct OAuthStoreTests {
    @Test("a client authenticates with its secret only, and not once revoked", arguments: StoreKind.allCases)
    func authenticate(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let profile = try await store.createProfile(ProfileDraft(name: "p", kind: .llmProxy))
        let (client, secret) = try await store.createOAuthClient(OAuthClientDraft(name: "svc", allowedProfileIDs: [profile.id]))
        #expect(OAuthClientIdentifier.isWellFormed(client.clientID))
        #expect(OAuthClientSecret.isWellFormed(secret.exposedValue))
        #expect(client.allowedProfileIDs == [profile.id])
        #expect(try await store.oauthClient(id: client.id) == client)
        #expect(try await store.oauthClients() == [client])

        #expect(try await store.authenticateOAuthClient(clientID: client.clientID, secret: secret) == client)
        #expect(try await store.authenticateOAuthClient(clientID: client.clientID, secret: Secret(secret.exposedValue + "x")) == nil)
        #expect(try await store.authenticateOAuthClient(clientID: client.clientID, secret: OAuthClientSecret.generate()) == nil)
        #expect(try await store.authenticateOAuthClient(clientID: OAuthClientIdentifier.generate(), secret: secret) == nil)

        #expect(try await store.revokeOAuthClient(id: client.id))
        #expect(try await store.oauthClient(id: client.id)?.revokedAt != nil)
        #expect(try await store.authenticateOAuthClient(clientID: client.clientID, secret: secret) == nil)
        #expect(try await store.revokeOAuthClient(id: UUID()) == false)
    }

    @Test("updates validate profiles and provider keys", arguments: StoreKind.allCases)
    func update(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let key = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk")))
        let (client, _) = try await store.createOAuthClient(OAuthClientDraft())
        let updated = try await store.updateOAuthClient(id: client.id, OAuthClientUpdate(name: "n", providerKeyIDs: [key.id]))
        #expect(updated?.name == "n")
        #expect(updated?.providerKeyIDs == [key.id])
        #expect(try await store.oauthClient(id: client.id) == updated)
        await #expect(throws: GatewayStoreError.self) {
            try await store.updateOAuthClient(id: client.id, OAuthClientUpdate(allowedProfileIDs: [UUID()]))
        }
        await #expect(throws: GatewayStoreError.self) {
            try await store.createOAuthClient(OAuthClientDraft(allowedProfileIDs: [UUID()]))
        }
        #expect(try await store.updateOAuthClient(id: UUID(), OAuthClientUpdate(name: "x")) == nil)
    }

    @Test("tokens are saved by hash, found, swept when expired, deleted with their revoked client", arguments: StoreKind.allCases)
    func tokens(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let (client, _) = try await store.createOAuthClient(OAuthClientDraft())
        let revision = try await store.revision()
        let live = OAuthAccessToken(
            tokenHash: OAuthAccessTokenValue.generate().hash, clientID: client.id, scope: "llm:proxy",
            expiresAt: .milliseconds(2_000_000_000_000), createdAt: .milliseconds(1_000_000_000_000)
        )
        let stale = OAuthAccessToken(
            tokenHash: OAuthAccessTokenValue.generate().hash, clientID: client.id, scope: "llm:proxy",
            expiresAt: .milliseconds(1_000_000_000_000), createdAt: .milliseconds(900_000_000_000)
        )
        try await store.saveAccessToken(live)
        try await store.saveAccessToken(stale)
        #expect(try await store.accessToken(hash: live.tokenHash) == live)
        #expect(try await store.accessToken(hash: "nope") == nil)
        #expect(try await store.deleteAccessTokens(expiredBefore: .milliseconds(1_500_000_000_000)) == 1)
        #expect(try await store.accessToken(hash: stale.tokenHash) == nil)
        #expect(try await store.revision() == revision)

        _ = try await store.revokeOAuthClient(id: client.id)
        #expect(try await store.accessToken(hash: live.tokenHash) == nil)
        await #expect(throws: GatewayStoreError.self) {
            try await store.saveAccessToken(live)
        }
    }
}
