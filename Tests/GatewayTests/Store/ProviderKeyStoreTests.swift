import Foundation
import Gateway
import Testing
import WireFormats

@Suite("provider keys in the store")
struct ProviderKeyStoreTests {
    @Test("a provider's first key becomes primary, an explicit primary demotes the old one", arguments: StoreKind.allCases)
    func primaryKeys(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let first = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-first")))
        let second = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-second")))
        let other = try await store.createProviderKey(ProviderKeyDraft(provider: "anthropic", secret: Secret("sk-ant")))
        #expect(first.isPrimary)
        #expect(!second.isPrimary)
        #expect(other.isPrimary)

        let third = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-third"), isPrimary: true))
        #expect(third.isPrimary)
        #expect(try await store.providerKey(id: first.id)?.isPrimary == false)

        let promoted = try await store.updateProviderKey(id: second.id, ProviderKeyUpdate(isPrimary: true))
        #expect(promoted?.isPrimary == true)
        let primaries = try await store.providerKeys().filter { $0.provider == "openai" && $0.isPrimary }
        #expect(primaries.map(\.id) == [second.id])
    }

    @Test("every field round-trips and updates apply, clearing the base URL included", arguments: StoreKind.allCases)
    func fieldsRoundTrip(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let created = try await store.createProviderKey(
            ProviderKeyDraft(
                provider: "anthropic", name: "prod", secret: Secret("sk-ant-123"), baseURL: "https://proxy.example.com/v1",
                extraHeaders: ["anthropic-beta": "tools-2024", "x-team": "a"]
            )
        )
        let read = try #require(try await store.providerKey(id: created.id))
        #expect(read == created)
        #expect(read.secret.exposedValue == "sk-ant-123")
        #expect(read.extraHeaders == ["anthropic-beta": "tools-2024", "x-team": "a"])
        #expect(try await store.providerKeys() == [created])

        let updated = try await store.updateProviderKey(
            id: created.id, ProviderKeyUpdate(name: "staging", secret: Secret("sk-ant-456"), baseURL: .some(nil), extraHeaders: [:])
        )
        #expect(updated?.baseURL == nil)
        #expect(try await store.providerKey(id: created.id) == updated)
        #expect(try await store.providerKey(id: created.id)?.secret.exposedValue == "sk-ant-456")
        #expect(try await store.updateProviderKey(id: UUID(), ProviderKeyUpdate(name: "x")) == nil)
    }

    @Test("a base URL that is not absolute http(s) is refused", arguments: ["ftp://example.com", "not a url", "/relative", "https://"])
    func badBaseURL(baseURL: String) async throws {
        let opened = try await TestStores.open(.memory)
        await #expect(throws: GatewayStoreError.invalid("a provider key's base URL must be an absolute http or https URL")) {
            try await opened.store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("k"), baseURL: baseURL))
        }
        #expect(try await opened.store.providerKeys().isEmpty)
    }

    @Test("deleting a provider key unmaps it from virtual keys and OAuth clients", arguments: StoreKind.allCases)
    func deleteUnmaps(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let openAI = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-o")))
        let anthropic = try await store.createProviderKey(ProviderKeyDraft(provider: "anthropic", secret: Secret("sk-a")))
        let (virtualKey, _) = try await store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [openAI.id, anthropic.id]))
        let (client, _) = try await store.createOAuthClient(OAuthClientDraft(providerKeyIDs: [openAI.id, anthropic.id]))

        #expect(try await store.deleteProviderKey(id: openAI.id))
        #expect(try await store.providerKey(id: openAI.id) == nil)
        #expect(try await store.virtualKey(id: virtualKey.id)?.providerKeyIDs == [anthropic.id])
        #expect(try await store.oauthClient(id: client.id)?.providerKeyIDs == [anthropic.id])
        #expect(try await store.deleteProviderKey(id: openAI.id) == false)
    }

    @Test("seeding creates the primary key, updates its value, and leaves the revision alone when unchanged", arguments: StoreKind.allCases)
    func seeding(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let r0 = try await store.revision()
        let created = try await store.seedPrimaryProviderKey(provider: "groq", secret: Secret("gsk-1"))
        #expect(created.isPrimary)
        let r1 = try await store.revision()
        #expect(r1 > r0)

        let again = try await store.seedPrimaryProviderKey(provider: "groq", secret: Secret("gsk-1"))
        #expect(again == created)
        #expect(try await store.revision() == r1)

        let changed = try await store.seedPrimaryProviderKey(provider: "groq", secret: Secret("gsk-2"))
        #expect(changed.id == created.id)
        #expect(try await store.providerKey(id: created.id)?.secret.exposedValue == "gsk-2")
        #expect(try await store.revision() > r1)
        #expect(try await store.providerKeys().count == 1)
    }
}
