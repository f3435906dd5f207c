import Foundation
import Gateway
import Testing
import WireFormats

@Suite("virtual keys in the store")
struct VirtualKeyStoreTests {
    @Test("a created key returns its value once and is found by token start with that value", arguments: StoreKind.allCases)
    func createAndFind(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let providerKey = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-o")))
        let expiry = Date.milliseconds(4_000_000_000_000)
        let (key, value) = try await store.createVirtualKey(VirtualKeyDraft(name: "ci", providerKeyIDs: [providerKey.id], expiresAt: expiry))
        #expect(VirtualKeyValue.isWellFormed(value.exposedValue))
        #expect(key.tokenStart == String(value.exposedValue.prefix(14)))
        #expect(key.expiresAt == expiry)
        #expect(try await store.virtualKey(id: key.id) == key)
        #expect(try await store.virtualKeys() == [key])

        let candidates = try await store.virtualKeyCandidates(tokenStart: key.tokenStart)
        #expect(candidates.count == 1)
        #expect(candidates.first?.key == key)
        #expect(candidates.first?.value == value)
        #expect(try await store.virtualKeyCandidates(tokenStart: "arch_000000000").isEmpty)
    }

    @Test("a mapping must name existing provider keys, at most one per provider", arguments: StoreKind.allCases)
    func mappingValidation(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let a = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-1")))
        let b = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-2")))
        await #expect(throws: GatewayStoreError.invalid("more than one provider key for provider 'openai'; map at most one per provider")) {
            try await store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [a.id, b.id]))
        }
        await #expect(throws: GatewayStoreError.self) {
            try await store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [UUID()]))
        }
        #expect(try await store.virtualKeys().isEmpty)
        let (key, _) = try await store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [a.id]))
        await #expect(throws: GatewayStoreError.self) {
            try await store.updateVirtualKey(id: key.id, VirtualKeyUpdate(providerKeyIDs: [a.id, b.id]))
        }
        #expect(try await store.virtualKey(id: key.id)?.providerKeyIDs == [a.id])
    }

    @Test("updates, revocation and recorded use", arguments: StoreKind.allCases)
    func updateRevokeUse(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let a = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-1")))
        let c = try await store.createProviderKey(ProviderKeyDraft(provider: "cohere", secret: Secret("co-1")))
        let (key, _) = try await store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [a.id], expiresAt: .milliseconds(5_000_000_000_000)))

        let updated = try await store.updateVirtualKey(id: key.id, VirtualKeyUpdate(name: "renamed", expiresAt: .some(nil), providerKeyIDs: [c.id, a.id]))
        #expect(updated?.name == "renamed")
        #expect(updated?.expiresAt == nil)
        #expect(updated?.providerKeyIDs == [c.id, a.id])
        #expect(try await store.virtualKey(id: key.id) == updated)
        #expect(try await store.updateVirtualKey(id: UUID(), VirtualKeyUpdate(name: "x")) == nil)

        let usedAt = Date.milliseconds(1_800_000_000_123)
        let before = try await store.revision()
        try await store.recordVirtualKeyUse(id: key.id, at: usedAt)
        #expect(try await store.virtualKey(id: key.id)?.lastUsedAt == usedAt)
        #expect(try await store.revision() == before)

        #expect(try await store.revokeVirtualKey(id: key.id))
        let revoked = try #require(try await store.virtualKey(id: key.id))
        #expect(revoked.revokedAt != nil)
        #expect(!revoked.isUsable(at: Date()))
        #expect(try await store.virtualKeys().map(\.id) == [key.id])
        #expect(try await store.revokeVirtualKey(id: UUID()) == false)
    }
}
