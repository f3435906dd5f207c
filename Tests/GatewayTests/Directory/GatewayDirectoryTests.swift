import Foundation
import Gateway
import Logging
import ServiceLifecycle
import Testing
import WireFormats

@Suite("the gateway directory")
struct GatewayDirectoryTests {
    struct Fixture {
        let store: SQLiteGatewayStore
        let counting: CountingStore
        let directory: GatewayDirectory
        let providerKey: ProviderKey

        init(capacity: Int = 100) async throws {
            self.store = try await SQLiteGatewayStore(url: .sqliteInMemory, secretBox: TestStores.fixedBox)
            self.counting = CountingStore(self.store)
            self.directory = GatewayDirectory(store: self.counting, capacity: capacity, pollInterval: .milliseconds(20), logger: Logger(label: "test"))
            self.providerKey = try await self.store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-o")))
        }
    }

    static let now = Date.milliseconds(1_800_000_000_000)

    @Test("a virtual key is valid, expired or revoked as its row says")
    func virtualKeyStates() async throws {
        let fixture = try await Fixture()
        let store = fixture.store
        let (live, liveValue) = try await store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [fixture.providerKey.id]))
        let (expiring, expiringValue) = try await store.createVirtualKey(
            VirtualKeyDraft(providerKeyIDs: [fixture.providerKey.id], expiresAt: Self.now.addingTimeInterval(60))
        )
        let (revoked, revokedValue) = try await store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [fixture.providerKey.id]))
        _ = try await store.revokeVirtualKey(id: revoked.id)

        #expect(try await fixture.directory.authenticateVirtualKey(liveValue.exposedValue, now: Self.now) == .valid(live))
        #expect(try await fixture.directory.authenticateVirtualKey(expiringValue.exposedValue, now: Self.now) == .valid(expiring))
        #expect(
            try await fixture.directory.authenticateVirtualKey(expiringValue.exposedValue, now: Self.now.addingTimeInterval(60)) == .expired(expiring)
        )
        guard case .revoked(let key) = try await fixture.directory.authenticateVirtualKey(revokedValue.exposedValue, now: Self.now) else {
            Issue.record("expected revoked")
            return
        }
        #expect(key.id == revoked.id)
    }

    @Test("unknown, malformed and same-prefix-wrong-suffix values are unknown; malformed ones never reach the store")
    func unknownValues() async throws {
        let fixture = try await Fixture()
        let (_, value) = try await fixture.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [fixture.providerKey.id]))
        let text = value.exposedValue
        let lastDigit = text.last == "0" ? "1" : "0"
        let sameStart = String(text.dropLast()) + lastDigit

        for malformed in ["", "arch_", "Bearer x", text.uppercased(), String(text.dropLast()), text + "0", "sk-" + text] {
            #expect(try await fixture.directory.authenticateVirtualKey(malformed, now: Self.now) == .unknown)
        }
        #expect(fixture.counting.totalReads == 0)

        #expect(try await fixture.directory.authenticateVirtualKey(sameStart, now: Self.now) == .unknown)
        #expect(try await fixture.directory.authenticateVirtualKey(VirtualKeyValue.generate().secret.exposedValue, now: Self.now) == .unknown)
        #expect(try await fixture.directory.authenticateVirtualKey(VirtualKeyValue.generate().secret.exposedValue, now: Self.now) == .unknown)
        // One read per distinct token start: the same-prefix miss was served from the cached candidates,
        // and the two unknown prefixes were each read (absence is not cached).
        #expect(fixture.counting.count("virtualKeyCandidates") == 3)
    }

    @Test("a cached key is answered without the store until the cache is dropped")
    func cachedLookups() async throws {
        let fixture = try await Fixture()
        let (_, value) = try await fixture.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [fixture.providerKey.id]))
        let profile = try await fixture.store.createProfile(ProfileDraft(name: "p", kind: .llmProxy))
        for _ in 0..<3 {
            guard case .valid = try await fixture.directory.authenticateVirtualKey(value.exposedValue, now: Self.now) else {
                Issue.record("expected valid")
                return
            }
            #expect(try await fixture.directory.profile(id: profile.id) == profile)
            #expect(try await fixture.directory.providerKey(id: fixture.providerKey.id) == fixture.providerKey)
            #expect(try await fixture.directory.primaryProviderKey(provider: "openai") == fixture.providerKey)
            #expect(try await fixture.directory.defaultProfile().isDefault)
        }
        #expect(fixture.counting.count("virtualKeyCandidates") == 1)
        #expect(fixture.counting.count("profile") == 1)
        #expect(fixture.counting.count("providerKey") == 1)
        #expect(fixture.counting.count("providerKeys") == 1)
        #expect(fixture.counting.count("defaultProfile") == 1)

        // An unrelated revision change, seen by a poll, drops everything.
        await fixture.directory.refreshIfChanged()
        _ = try await fixture.directory.profile(id: profile.id)
        #expect(fixture.counting.count("profile") == 2)
        await fixture.directory.refreshIfChanged()
        _ = try await fixture.directory.profile(id: profile.id)
        #expect(fixture.counting.count("profile") == 2, "an unchanged revision keeps the cache")
        _ = try await fixture.store.updateProfile(id: profile.id, ProfileUpdate(name: "renamed"))
        #expect(try await fixture.directory.profile(id: profile.id)?.name == "p", "served from the cache until the next poll")
        await fixture.directory.refreshIfChanged()
        #expect(try await fixture.directory.profile(id: profile.id)?.name == "renamed")

        fixture.directory.invalidate()
        _ = try await fixture.directory.providerKey(id: fixture.providerKey.id)
        #expect(fixture.counting.count("providerKey") == 2)
        #expect(try await fixture.directory.profile(id: UUID()) == nil)
        #expect(try await fixture.directory.primaryProviderKey(provider: "nobody") == nil)
    }

    @Test("caches hold at most their capacity, evicting the least recently used")
    func capacity() async throws {
        let fixture = try await Fixture(capacity: 2)
        var profiles: [Profile] = []
        for index in 0..<3 {
            profiles.append(try await fixture.store.createProfile(ProfileDraft(name: "p\(index)", kind: .profile)))
        }
        _ = try await fixture.directory.profile(id: profiles[0].id)
        _ = try await fixture.directory.profile(id: profiles[1].id)
        _ = try await fixture.directory.profile(id: profiles[0].id)  // hit: p0 is now the most recent
        #expect(fixture.counting.count("profile") == 2)
        _ = try await fixture.directory.profile(id: profiles[2].id)  // evicts p1
        _ = try await fixture.directory.profile(id: profiles[0].id)
        #expect(fixture.counting.count("profile") == 3)
        _ = try await fixture.directory.profile(id: profiles[1].id)
        #expect(fixture.counting.count("profile") == 4)
    }

    @Test("use is recorded by the running service, at most once a minute per key")
    func useRecording() async throws {
        let fixture = try await Fixture()
        let (key, value) = try await fixture.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [fixture.providerKey.id]))
        let revision = try await fixture.store.revision()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await fixture.directory.run() }
            for offset in [0, 10, 59, 61, 62] as [TimeInterval] {
                _ = try await fixture.directory.authenticateVirtualKey(value.exposedValue, now: Self.now.addingTimeInterval(offset))
            }
            let deadline = ContinuousClock.now + .seconds(5)
            while fixture.counting.count("recordVirtualKeyUse") < 2 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            var lastUsed = try await fixture.store.virtualKey(id: key.id)?.lastUsedAt
            while lastUsed != Self.now.addingTimeInterval(61) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
                lastUsed = try await fixture.store.virtualKey(id: key.id)?.lastUsedAt
            }
            #expect(lastUsed == Self.now.addingTimeInterval(61))
            group.cancelAll()
        }
        #expect(fixture.counting.count("recordVirtualKeyUse") == 2)
        #expect(try await fixture.store.revision() == revision)
    }

    @Test("an access token is issued for the right secret, authenticates, then expires; a revoked client's is unknown")
    func accessTokens() async throws {
        let fixture = try await Fixture()
        let (client, secret) = try await fixture.store.createOAuthClient(OAuthClientDraft(providerKeyIDs: [fixture.providerKey.id]))
        let directory = fixture.directory

        #expect(try await directory.issueAccessToken(clientID: client.clientID, secret: Secret("llm_cs_wrong"), scope: "llm:proxy", now: Self.now) == nil)
        #expect(try await directory.issueAccessToken(clientID: "llm_oauth_nope", secret: secret, scope: "llm:proxy", now: Self.now) == nil)

        let issued = try #require(try await directory.issueAccessToken(clientID: client.clientID, secret: secret, scope: "llm:proxy", now: Self.now))
        #expect(issued.expiresIn == 3600)
        #expect(issued.scope == "llm:proxy")
        #expect(OAuthAccessTokenValue.isWellFormed(issued.value.exposedValue))
        let stored = try #require(try await fixture.store.accessToken(hash: OAuthAccessTokenValue.hash(of: issued.value.exposedValue)))
        #expect(stored.clientID == client.id)

        guard case .valid(let token, let owner) = try await directory.authenticateAccessToken(issued.value.exposedValue, now: Self.now) else {
            Issue.record("expected a valid token")
            return
        }
        #expect(token.scope == "llm:proxy")
        #expect(owner.id == client.id)
        #expect(try await directory.authenticateAccessToken(issued.value.exposedValue, now: Self.now.addingTimeInterval(3599)) != .expired)
        #expect(try await directory.authenticateAccessToken(issued.value.exposedValue, now: Self.now.addingTimeInterval(3600)) == .expired)
        #expect(fixture.counting.count("accessToken") == 1)
        #expect(try await directory.authenticateAccessToken("llm_at_short", now: Self.now) == .unknown)
        #expect(try await directory.authenticateAccessToken(OAuthAccessTokenValue.generate().secret.exposedValue, now: Self.now) == .unknown)

        _ = try await fixture.store.revokeOAuthClient(id: client.id)
        await directory.refreshIfChanged()
        #expect(try await directory.authenticateAccessToken(issued.value.exposedValue, now: Self.now) == .unknown)
        #expect(try await directory.issueAccessToken(clientID: client.clientID, secret: secret, scope: "llm:proxy", now: Self.now) == nil)
    }

    @Test("a failing revision poll is retried and the cache is dropped once the store answers")
    func pollFailureRecovers() async throws {
        let fixture = try await Fixture()
        let profile = try await fixture.store.createProfile(ProfileDraft(name: "before", kind: .profile))
        await fixture.directory.refreshIfChanged()
        #expect(try await fixture.directory.profile(id: profile.id)?.name == "before")
        fixture.counting.failRevision.withLock { $0 = true }
        _ = try await fixture.store.updateProfile(id: profile.id, ProfileUpdate(name: "after"))
        await fixture.directory.refreshIfChanged()
        #expect(try await fixture.directory.profile(id: profile.id)?.name == "before", "cached entries keep serving while the store fails")
        fixture.counting.failRevision.withLock { $0 = false }
        await fixture.directory.refreshIfChanged()
        #expect(try await fixture.directory.profile(id: profile.id)?.name == "after")
    }

    @Test("graceful shutdown ends run()", .timeLimit(.minutes(1)))
    func gracefulShutdown() async throws {
        let fixture = try await Fixture()
        let group = ServiceGroup(services: [fixture.directory], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Wait until the directory has polled at least once, so it is really running.
            let deadline = ContinuousClock.now + .seconds(10)
            while fixture.counting.count("revision") == 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(fixture.counting.count("revision") > 0)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
