import Foundation
import Gateway
import Testing
import WireFormats

@Suite("secrets at rest")
struct SecretBoxTests {
    @Test("sealing round-trips, uses a fresh nonce each time and a version prefix")
    func roundTrip() throws {
        let box = TestStores.fixedBox
        let first = try box.seal("sk-live-123", context: "row-1")
        let second = try box.seal("sk-live-123", context: "row-1")
        #expect(first.hasPrefix("v1:"))
        #expect(first != second)
        #expect(!first.contains("sk-live"))
        // 12-byte nonce + 11 bytes of plaintext + 16-byte tag.
        #expect(Data(base64Encoded: String(first.dropFirst(3)))?.count == 12 + 11 + 16)
        #expect(try box.open(first, context: "row-1") == "sk-live-123")
        #expect(try box.open(second, context: "row-1") == "sk-live-123")
    }

    @Test("another key, another context or a malformed value fails with undecryptableSecret")
    func wrongKey() throws {
        let sealed = try TestStores.fixedBox.seal("sk-live-123", context: "row-1")
        let other = try SecretBox(rawKey: Array(repeating: 8, count: 32))
        #expect(throws: GatewayStoreError.self) { try other.open(sealed, context: "row-1") }
        #expect(throws: GatewayStoreError.self) { try TestStores.fixedBox.open(sealed, context: "row-2") }
        #expect(throws: GatewayStoreError.self) { try TestStores.fixedBox.open("v9:abc", context: "row-1") }
        do {
            _ = try other.open(sealed, context: "row-1")
        } catch {
            guard case .undecryptableSecret = error else {
                Issue.record("expected undecryptableSecret, got \(error)")
                return
            }
        }
        #expect(throws: SecretKeyError.self) { try SecretBox(rawKey: [1, 2, 3]) }
    }

    @Test("a store opened with another key cannot read the stored secrets")
    func storeWithWrongKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = DatabaseURL.sqliteFile(path: directory.file("g.sqlite"))
        let store = try await SQLiteGatewayStore(url: url, secretBox: TestStores.fixedBox)
        let key = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-1")))
        let wrong = try await SQLiteGatewayStore(url: url, secretBox: try SecretBox(rawKey: Array(repeating: 9, count: 32)))
        let error = await #expect(throws: GatewayStoreError.self) { try await wrong.providerKey(id: key.id) }
        guard case .undecryptableSecret = error else {
            Issue.record("expected undecryptableSecret, got \(String(describing: error))")
            return
        }
    }
}

@Suite("where the secret key comes from")
struct SecretKeySourceTests {
    @Test("ARCHESTRA_SECRET_KEY wins when set, and must be base64 of 32 bytes")
    func environmentKey() async throws {
        let encoded = Data(Array(repeating: 7, count: 32)).base64EncodedString()
        let environment = ["ARCHESTRA_SECRET_KEY": encoded]
        let source = SecretKeySource(databaseURL: .sqliteFile(path: "x.sqlite"), environment: environment)
        #expect(source == .environmentVariable)
        let box = try source.loadSecretBox(environment: environment)
        let sealed = try box.seal("v", context: "c")
        #expect(try TestStores.fixedBox.open(sealed, context: "c") == "v")

        for bad in ["not-base64!!", Data(Array(repeating: 1, count: 16)).base64EncodedString(), "c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw=="] {
            let error = #expect(throws: SecretKeyError.self) {
                try SecretKeySource.environmentVariable.loadSecretBox(environment: ["ARCHESTRA_SECRET_KEY": bad])
            }
            #expect(error?.code == .malformedEnvironmentKey)
            #expect(error?.description.contains("ARCHESTRA_SECRET_KEY") == true)
            #expect(error?.description.contains(bad) == false)
        }
    }

    @Test("an in-memory database without ARCHESTRA_SECRET_KEY gets an ephemeral key")
    func ephemeral() async throws {
        #expect(SecretKeySource(databaseURL: .sqliteInMemory, environment: [:]) == .ephemeral)
        let store = try await SQLiteGatewayStore(url: .sqliteInMemory, environment: [:])
        let key = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-mem")))
        #expect(try await store.providerKey(id: key.id)?.secret.exposedValue == "sk-mem")
    }

    @Test("the key file is created once with mode 0600 and reused")
    func keyFileCreatedAndReused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("g.sqlite")
        let url = DatabaseURL.sqliteFile(path: path)
        #expect(SecretKeySource(databaseURL: url, environment: [:]) == .keyFile(path: path + ".key"))

        let first = try await SQLiteGatewayStore(url: url, environment: [:])
        let key = try await first.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret("sk-file")))
        let attributes = try FileManager.default.attributesOfItem(atPath: path + ".key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let contents = try #require(FileManager.default.contents(atPath: path + ".key"))

        let second = try await SQLiteGatewayStore(url: url, environment: [:])
        #expect(try await second.providerKey(id: key.id)?.secret.exposedValue == "sk-file")
        #expect(FileManager.default.contents(atPath: path + ".key") == contents)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }.isEmpty)
    }

    @Test("two openers racing on a new key file agree on one key")
    func keyFileRace() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = SecretKeySource.keyFile(path: directory.file("g.sqlite.key"))
        let boxes = try await withThrowingTaskGroup(of: SecretBox.self) { group in
            for _ in 0..<8 {
                group.addTask { try source.loadSecretBox(environment: [:]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let sealed = try boxes[0].seal("shared", context: "c")
        for box in boxes {
            #expect(try box.open(sealed, context: "c") == "shared")
        }
    }

    @Test("a key file others can read, or of the wrong length, is refused")
    func badKeyFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyPath = directory.file("g.sqlite.key")
        let source = SecretKeySource.keyFile(path: keyPath)

        let good = Data(Array(repeating: 3, count: 32)).base64EncodedString() + "\n"
        #expect(FileManager.default.createFile(atPath: keyPath, contents: Data(good.utf8), attributes: [.posixPermissions: 0o644]))
        let permissions = #expect(throws: SecretKeyError.self) { try source.loadSecretBox(environment: [:]) }
        #expect(permissions?.code == .keyFilePermissions)
        #expect(permissions?.description.contains("chmod 600") == true)

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        _ = try source.loadSecretBox(environment: [:])

        let short = Data(Array(repeating: 3, count: 31)).base64EncodedString()
        try FileManager.default.removeItem(atPath: keyPath)
        #expect(FileManager.default.createFile(atPath: keyPath, contents: Data(short.utf8), attributes: [.posixPermissions: 0o600]))
        let length = #expect(throws: SecretKeyError.self) { try source.loadSecretBox(environment: [:]) }
        #expect(length?.code == .keyFileMalformed)
    }
}
