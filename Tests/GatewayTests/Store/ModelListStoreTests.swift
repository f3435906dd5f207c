import Foundation
import Gateway
import Testing
import WireFormats

@Suite("model lists in the store")
struct ModelListStoreTests {
    @Test("a list is saved, replaced whole, kept apart per source, gone with its key, and never moves the revision", arguments: StoreKind.allCases)
    func lists(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let key = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk")))
        let revision = try await store.revision()
        let when = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.saveModelList(ModelList(
            source: .providerKey(key.id), provider: "openai",
            models: [ListedModel(id: "gpt-4o", kind: .chat, created: 7), ListedModel(id: "text-embedding-3-small", kind: .embedding)], syncedAt: when))
        try await store.saveModelList(ModelList(source: .proxyIdentity(provider: "bedrock"), provider: "bedrock", models: [], syncedAt: when, error: "the provider answered 403"))
        #expect(try await store.revision() == revision)

        var lists = try await store.modelLists()
        #expect(lists.count == 2)
        let openAI = try #require(lists.first { $0.source == .providerKey(key.id) })
        #expect(openAI.models == [ListedModel(id: "gpt-4o", kind: .chat, created: 7), ListedModel(id: "text-embedding-3-small", kind: .embedding)])
        #expect(openAI.syncedAt == when && openAI.error == nil)
        #expect(lists.first { $0.source == .proxyIdentity(provider: "bedrock") }?.error == "the provider answered 403")

        try await store.saveModelList(ModelList(source: .providerKey(key.id), provider: "openai", models: [ListedModel(id: "gpt-5", kind: .chat)], syncedAt: when))
        lists = try await store.modelLists()
        #expect(lists.first { $0.source == .providerKey(key.id) }?.models.map(\.id) == ["gpt-5"])

        #expect(try await store.deleteProviderKey(id: key.id))
        lists = try await store.modelLists()
        #expect(lists.map(\.source) == [.proxyIdentity(provider: "bedrock")])
    }

    @Test("sources round-trip through their stored text; anything else is not a source")
    func sources() {
        let id = UUID()
        #expect(ModelList.Source(storedValue: ModelList.Source.providerKey(id).storedValue) == .providerKey(id))
        #expect(ModelList.Source(storedValue: "identity:vertex") == .proxyIdentity(provider: "vertex"))
        #expect(ModelList.Source(storedValue: "nonsense") == nil)
    }
}
