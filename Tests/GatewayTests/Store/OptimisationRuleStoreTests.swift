import Foundation
import Gateway
import Logging
import Testing

@Suite("Optimisation rules in the store and the directory")
struct OptimisationRuleStoreTests {
    @Test("a new database holds Archestra's two defaults, disabled, in order", arguments: StoreKind.allCases)
    func defaults(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        let rules = try await opened.store.optimisationRules()
        #expect(rules.map(\.provider) == ["openai", "anthropic"])
        #expect(rules.map(\.targetModel) == ["gpt-5-mini", "claude-haiku-4-5"])
        #expect(rules.allSatisfy { !$0.enabled && $0.conditions == OptimisationConditions(maxPromptTokens: 1000) })
        #expect(rules[0].createdAt < rules[1].createdAt)
    }

    @Test("create, list oldest first, enable and disable, delete; every change bumps the revision; a reopened file keeps them")
    func roundTrip() async throws {
        let opened = try await TestStores.open(.file)
        defer { opened.close() }
        let store = try #require(opened.store as? SQLiteGatewayStore)
        let before = try await store.revision()
        let rule = try await store.createOptimisationRule(
            OptimisationRuleDraft(provider: "gemini", targetModel: "gemini-2.5-flash-lite", conditions: OptimisationConditions(maxPromptTokens: 500, hasTools: false)))
        #expect(rule.enabled)
        #expect(try await store.optimisationRules().last == rule)
        #expect(try await store.optimisationRule(id: rule.id) == rule)
        let disabled = try await store.setOptimisationRuleEnabled(id: rule.id, enabled: false)
        #expect(disabled?.enabled == false && disabled?.conditions == rule.conditions)
        #expect(try await store.setOptimisationRuleEnabled(id: UUID(), enabled: true) == nil)
        #expect(try await store.revision() == before + 2)

        let reopened = try await SQLiteGatewayStore(url: store.url, secretBox: TestStores.fixedBox)
        #expect(try await reopened.optimisationRule(id: rule.id)?.enabled == false)
        #expect(try await reopened.deleteOptimisationRule(id: rule.id))
        #expect(try await reopened.deleteOptimisationRule(id: rule.id) == false)
        #expect(try await reopened.optimisationRule(id: rule.id) == nil)
        #expect(try await reopened.revision() == before + 3)
    }

    @Test("drafts that cannot work are refused before they are stored", arguments: StoreKind.allCases)
    func invalid(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        let store = opened.store
        let drafts = [
            OptimisationRuleDraft(provider: "openai", targetModel: "gpt-5-mini", conditions: OptimisationConditions()),
            OptimisationRuleDraft(provider: "openai", targetModel: "", conditions: OptimisationConditions(hasTools: false)),
            OptimisationRuleDraft(provider: "openai", targetModel: "gpt 5", conditions: OptimisationConditions(hasTools: false)),
            OptimisationRuleDraft(provider: "openai", targetModel: "gpt-5-mini", conditions: OptimisationConditions(maxPromptTokens: 0)),
            OptimisationRuleDraft(provider: "openai", targetModel: "gpt-5-mini", conditions: OptimisationConditions(maxPromptTokens: -5)),
            OptimisationRuleDraft(provider: "", targetModel: "gpt-5-mini", conditions: OptimisationConditions(hasTools: true)),
        ]
        for draft in drafts {
            await #expect(throws: GatewayStoreError.self, "\(draft)") { try await store.createOptimisationRule(draft) }
        }
        #expect(try await store.optimisationRules().count == 2)  // the defaults only
    }

    @Test("the directory reads the rules once per revision, keeps only enabled ones")
    func directory() async throws {
        let store = try await SQLiteGatewayStore(url: .sqliteInMemory, secretBox: TestStores.fixedBox)
        let counting = CountingStore(store)
        let directory = GatewayDirectory(store: counting, pollInterval: .milliseconds(20), logger: Logger(label: "test"))
        let facts = OptimisationFacts(estimatedPromptTokens: 10, hasTools: false)
        await directory.refreshIfChanged()
        #expect(try await directory.optimisationRules().firstMatch(provider: "openai", request: facts) == nil)
        #expect(try await directory.optimisationRules().isEmpty(provider: "openai"))
        #expect(counting.count("optimisationRules") == 1)
        let openAIDefault = try #require(try await store.optimisationRules().first)
        _ = try await store.setOptimisationRuleEnabled(id: openAIDefault.id, enabled: true)
        await directory.refreshIfChanged()
        #expect(try await directory.optimisationRules().firstMatch(provider: "openai", request: facts)?.targetModel == "gpt-5-mini")
        #expect(try await directory.optimisationRules().isEmpty(provider: "anthropic"))
        #expect(counting.count("optimisationRules") == 2)
    }
}
