import Foundation
import GRDB
import Gateway
import Testing
import WireFormats

@Suite("migrations, revision and several processes on one file")
struct SchemaAndRevisionTests {
    @Test("reopening a file runs no migration twice and keeps the data")
    func reopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = DatabaseURL.sqliteFile(path: directory.file("g.sqlite"))
        let first = try await SQLiteGatewayStore(url: url, secretBox: TestStores.fixedBox)
        let defaultProfile = try await first.defaultProfile()
        let key = try await first.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk")))
        let revision = try await first.revision()

        let second = try await SQLiteGatewayStore(url: url, secretBox: TestStores.fixedBox)
        #expect(try await second.defaultProfile() == defaultProfile)
        #expect(try await second.profiles(kind: nil).count == 1)
        #expect(try await second.providerKey(id: key.id) == key)
        #expect(try await second.revision() == revision)
    }

    @Test("a database migrated by a newer archestra is refused")
    func newerSchema() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("g.sqlite")
        _ = try await SQLiteGatewayStore(url: .sqliteFile(path: path), secretBox: TestStores.fixedBox)
        let raw = try DatabaseQueue(path: path)
        try await raw.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('0009-from-the-future')")
        }
        try raw.close()
        let error = await #expect(throws: GatewayStoreError.self) {
            try await SQLiteGatewayStore(url: .sqliteFile(path: path), secretBox: TestStores.fixedBox)
        }
        #expect(error == .newerSchema(found: 9, supported: 6))  // the newest known: 0006-optimisation-rules
        #expect(error?.description.contains("newer archestra") == true)
    }

    @Test("every administrative write bumps the revision; bookkeeping does not", arguments: StoreKind.allCases)
    func revisionBumps(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        var last = try await store.revision()
        func expectBump(_ label: Comment) async throws {
            let now = try await store.revision()
            #expect(now > last, label)
            last = now
        }
        func expectSame(_ label: Comment) async throws {
            #expect(try await store.revision() == last, label)
        }
        let profile = try await store.createProfile(ProfileDraft(name: "p", kind: .profile))
        try await expectBump("create profile")
        _ = try await store.updateProfile(id: profile.id, ProfileUpdate(name: "q"))
        try await expectBump("update profile")
        _ = try await store.updateProfile(id: profile.id, ProfileUpdate(name: "q"))
        try await expectSame("an update that changes nothing")
        let key = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk")))
        try await expectBump("create provider key")
        _ = try await store.updateProviderKey(id: key.id, ProviderKeyUpdate(secret: Secret("sk2")))
        try await expectBump("update provider key")
        let (virtualKey, _) = try await store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [key.id]))
        try await expectBump("create virtual key")
        _ = try await store.updateVirtualKey(id: virtualKey.id, VirtualKeyUpdate(name: "n"))
        try await expectBump("update virtual key")
        try await store.recordVirtualKeyUse(id: virtualKey.id, at: Date())
        try await expectSame("record use")
        _ = try await store.revokeVirtualKey(id: virtualKey.id)
        try await expectBump("revoke virtual key")
        let (client, _) = try await store.createOAuthClient(OAuthClientDraft())
        try await expectBump("create client")
        _ = try await store.updateOAuthClient(id: client.id, OAuthClientUpdate(name: "c"))
        try await expectBump("update client")
        try await store.saveAccessToken(
            OAuthAccessToken(tokenHash: "h", clientID: client.id, scope: "llm:proxy", expiresAt: Date(timeIntervalSince1970: 1), createdAt: Date())
        )
        try await expectSame("save token")
        _ = try await store.deleteAccessTokens(expiredBefore: Date())
        try await expectSame("sweep tokens")
        _ = try await store.revokeOAuthClient(id: client.id)
        try await expectBump("revoke client")
        _ = try await store.deleteProviderKey(id: key.id)
        try await expectBump("delete provider key")
        _ = try await store.deleteProfile(id: profile.id)
        try await expectBump("delete profile")
    }

    @Test("two stores on one file see each other's changes")
    func twoStoresOneFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = DatabaseURL.sqliteFile(path: directory.file("g.sqlite"))
        let server = try await SQLiteGatewayStore(url: url, secretBox: TestStores.fixedBox)
        let cli = try await SQLiteGatewayStore(url: url, secretBox: TestStores.fixedBox)

        let key = try await cli.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-cli")))
        #expect(try await server.providerKey(id: key.id)?.secret.exposedValue == "sk-cli")
        #expect(try await server.revision() == cli.revision())

        let profile = try await server.createProfile(ProfileDraft(name: "from-server", kind: .llmProxy))
        #expect(try await cli.profile(id: profile.id) == profile)
        #expect(try await cli.revision() == server.revision())
    }

    @Test("two stores writing the same file at once both succeed, each write counted once")
    func concurrentWriters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = DatabaseURL.sqliteFile(path: directory.file("g.sqlite"))
        let first = try await SQLiteGatewayStore(url: url, secretBox: TestStores.fixedBox)
        let second = try await SQLiteGatewayStore(url: url, secretBox: TestStores.fixedBox)
        let before = try await first.revision()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { _ = try await first.createProfile(ProfileDraft(name: "a\(index)", kind: .profile)) }
                group.addTask { _ = try await second.createProfile(ProfileDraft(name: "b\(index)", kind: .profile)) }
            }
            try await group.waitForAll()
        }
        #expect(try await first.profiles(kind: .profile).count == 41)
        #expect(try await second.revision() == before + 40)
    }

    @Test("a running directory drops its cache within a few polls of a change made through another store")
    func directoryFollowsAnotherProcess() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = DatabaseURL.sqliteFile(path: directory.file("g.sqlite"))
        let server = try await SQLiteGatewayStore(url: url, secretBox: TestStores.fixedBox)
        let cli = try await SQLiteGatewayStore(url: url, secretBox: TestStores.fixedBox)
        let profile = try await server.createProfile(ProfileDraft(name: "before", kind: .profile))
        let gateway = GatewayDirectory(store: server, logger: .init(label: "test"))
        // Learn the current revision first, so that only the change below can drop the cache.
        await gateway.refreshIfChanged()

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            #expect(try await gateway.profile(id: profile.id)?.name == "before")

            _ = try await cli.updateProfile(id: profile.id, ProfileUpdate(name: "after"))
            let changedAt = ContinuousClock.now
            var seen = try await gateway.profile(id: profile.id)?.name
            // The poll runs every 250 ms; the margin is for CI's 2 cores running the whole suite
            // (PostgreSQL clusters included) at once, where a second was once not enough.
            while seen != "after" && ContinuousClock.now - changedAt < .seconds(5) {
                try await Task.sleep(for: .milliseconds(10))
                seen = try await gateway.profile(id: profile.id)?.name
            }
            #expect(seen == "after")
            group.cancelAll()
        }
    }
}
