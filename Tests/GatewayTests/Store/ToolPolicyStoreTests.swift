import Foundation
import Gateway
import Logging
import Testing

@Suite("Tool policies in the store and the directory")
struct ToolPolicyStoreTests {
    @Test("create, list in creation order, read, delete; every change bumps the revision")
    func roundTrip() async throws {
        let opened = try await TestStores.open(.file)
        defer { opened.close() }
        let store = opened.store
        let profile = try await store.createProfile(ProfileDraft(name: "p", kind: .profile))
        let before = try await store.revision()
        let org = try await store.createToolPolicy(ToolPolicyDraft(kind: .toolInvocation, toolName: "get_weather", action: .blockAlways, reason: "no"))
        let own = try await store.createToolPolicy(
            ToolPolicyDraft(
                kind: .trustedData, profileID: profile.id, toolName: "fetch",
                conditions: [ToolPolicyCondition(key: "items[*].url", operator: .startsWith, value: "https://intra")], action: .markAsTrusted))
        #expect(try await store.revision() == before + 2)
        #expect(try await store.toolPolicies() == [org, own])
        #expect(try await store.toolPolicy(id: own.id) == own)
        #expect(own.conditions.first?.operator == .startsWith && own.profileID == profile.id && org.profileID == nil)
        #expect(try await store.deleteToolPolicy(id: org.id))
        #expect(try await store.deleteToolPolicy(id: org.id) == false)
        #expect(try await store.revision() == before + 3)
        // A profile's policies go with it.
        #expect(try await store.deleteProfile(id: profile.id))
        #expect(try await store.toolPolicies() == [])
    }

    @Test("drafts that cannot work are refused before they are stored")
    func invalid() async throws {
        let opened = try await TestStores.open(.memory)
        let store = opened.store
        let drafts = [
            ToolPolicyDraft(kind: .toolInvocation, toolName: " ", action: .blockAlways),
            ToolPolicyDraft(kind: .toolInvocation, toolName: "t", action: .markAsTrusted),
            ToolPolicyDraft(kind: .trustedData, toolName: "t", action: .blockWhenContextIsUntrusted),
            ToolPolicyDraft(kind: .trustedData, toolName: "t", conditions: [ToolPolicyCondition(key: "a", operator: .regex, value: "(")], action: .blockAlways),
            ToolPolicyDraft(kind: .trustedData, toolName: "t", conditions: [ToolPolicyCondition(key: "", operator: .equal, value: "x")], action: .blockAlways),
            ToolPolicyDraft(kind: .trustedData, profileID: UUID(), toolName: "t", action: .blockAlways),
        ]
        for draft in drafts {
            await #expect(throws: GatewayStoreError.self, "\(draft)") { try await store.createToolPolicy(draft) }
        }
        #expect(try await store.toolPolicies() == [])
    }

    @Test("the directory indexes a profile's policies before the organisation's, reads the store once per revision")
    func directory() async throws {
        let store = try await SQLiteGatewayStore(url: .sqliteInMemory, secretBox: TestStores.fixedBox)
        let counting = CountingStore(store)
        let directory = GatewayDirectory(store: counting, pollInterval: .milliseconds(20), logger: Logger(label: "test"))
        let first = try await store.createProfile(ProfileDraft(name: "a", kind: .profile))
        let second = try await store.createProfile(ProfileDraft(name: "b", kind: .profile))
        let org = try await store.createToolPolicy(ToolPolicyDraft(kind: .toolInvocation, toolName: "t", action: .blockAlways))
        let own = try await store.createToolPolicy(ToolPolicyDraft(kind: .toolInvocation, profileID: first.id, toolName: "t", action: .allowWhenContextIsUntrusted))
        await directory.refreshIfChanged()
        #expect(try await directory.toolPolicies(profileID: first.id).invocation["t"] == [own, org])
        #expect(try await directory.toolPolicies(profileID: second.id).invocation["t"] == [org])
        #expect(try await directory.toolPolicies(profileID: first.id).trustedData.isEmpty)
        #expect(counting.count("toolPolicies") == 1)
        _ = try await store.deleteToolPolicy(id: org.id)
        await directory.refreshIfChanged()
        #expect(try await directory.toolPolicies(profileID: second.id).isEmpty)
        #expect(counting.count("toolPolicies") == 2)
    }
}
