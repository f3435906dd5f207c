import Foundation
import Gateway
import Testing

@Suite("profiles in the store")
struct ProfileStoreTests {
    @Test("the first migration creates the default profile", arguments: StoreKind.allCases)
    func defaultProfileExists(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let profile = try await opened.store.defaultProfile()
        #expect(profile.name == "default")
        #expect(profile.kind == .profile)
        #expect(profile.isDefault)
        #expect(profile.servesModelRouter)
        #expect(try await opened.store.profiles(kind: nil) == [profile])
    }

    @Test("profiles are created, listed by kind, read, updated and deleted", arguments: StoreKind.allCases)
    func profileLifecycle(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let proxy = try await store.createProfile(ProfileDraft(name: "router", kind: .llmProxy))
        let plain = try await store.createProfile(ProfileDraft(name: "team-a", kind: .profile, considerContextUntrusted: true))
        #expect(!proxy.isDefault)
        #expect(try await store.profile(id: proxy.id) == proxy)
        #expect(try await store.profile(id: plain.id)?.considerContextUntrusted == true)
        #expect(try await store.profiles(kind: .llmProxy) == [proxy])
        #expect(try await store.profiles(kind: .profile).map(\.name) == ["default", "team-a"])

        let renamed = try await store.updateProfile(id: plain.id, ProfileUpdate(name: "team-b", considerContextUntrusted: false))
        #expect(renamed?.name == "team-b")
        #expect(renamed?.considerContextUntrusted == false)
        #expect(try await store.profile(id: plain.id) == renamed)
        #expect(try await store.updateProfile(id: UUID(), ProfileUpdate(name: "x")) == nil)

        #expect(try await store.deleteProfile(id: plain.id))
        #expect(try await store.profile(id: plain.id) == nil)
        #expect(try await store.deleteProfile(id: plain.id) == false)
    }

    @Test("the default profile cannot be deleted and a blank name is refused", arguments: StoreKind.allCases)
    func defaultProfileIsProtected(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let defaultProfile = try await opened.store.defaultProfile()
        await #expect(throws: GatewayStoreError.conflict("the default profile cannot be deleted")) {
            try await opened.store.deleteProfile(id: defaultProfile.id)
        }
        await #expect(throws: GatewayStoreError.self) {
            try await opened.store.createProfile(ProfileDraft(name: "  ", kind: .profile))
        }
        #expect(try await opened.store.defaultProfile() == defaultProfile)
    }
}
