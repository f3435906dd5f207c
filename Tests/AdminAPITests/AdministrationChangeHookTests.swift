import AdminAPI
import Foundation
import Gateway
import Synchronization
import Testing
import WireFormats

/// The serving process drops its cached credentials the moment the admin API changes anything, so
/// a revocation through the API holds before its response returns.
struct AdministrationChangeHookTests {
    @Test("every successful write runs the change hook once; reads and refused writes do not")
    func changeHook() async throws {
        let changes = Atomic<Int>(0)
        let store = try await SQLiteGatewayStore(url: .sqliteInMemory, environment: [:])
        let administration = GatewayAdministration(store: store, providerIDs: ["openai"], onChange: { changes.add(1, ordering: .relaxed) })

        let key = try await administration.createProviderKey(provider: "openai", apiKey: Secret("sk-test-key-value"))
        #expect(changes.load(ordering: .relaxed) == 1)
        _ = try await administration.providerKeys()
        _ = try await administration.virtualKeys()
        #expect(changes.load(ordering: .relaxed) == 1, "reads must not drop caches")

        let created = try await administration.createVirtualKey(providerKeyIDs: [key.id])
        try await administration.revokeVirtualKey(id: created.key.id)
        #expect(changes.load(ordering: .relaxed) == 3)

        await #expect(throws: (any Error).self) {
            _ = try await administration.createProviderKey(provider: "nosuchprovider", apiKey: Secret("sk-x-long-enough"))
        }
        #expect(changes.load(ordering: .relaxed) == 3, "a refused write changes nothing")
    }
}
