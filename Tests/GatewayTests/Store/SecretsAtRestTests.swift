import Foundation
import GRDB
import Gateway
import Testing
import WireFormats

@Suite("no secret in the database file")
struct SecretsAtRestTests {
    @Test("provider keys, virtual key values, client secrets and tokens never appear in any column or file byte")
    func noSecretInTheFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("g.sqlite")
        let store = try await SQLiteGatewayStore(url: .sqliteFile(path: path), environment: [:])
        let providerSecret = "sk-provider-\(UUID().uuidString)"
        let providerKey = try await store.createProviderKey(ProviderKeyDraft(provider: "openai", secret: Secret(providerSecret)))
        let seededSecret = "gsk-seeded-\(UUID().uuidString)"
        try await store.seedPrimaryProviderKey(provider: "groq", secret: Secret(seededSecret))
        let (_, virtualKeyValue) = try await store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [providerKey.id]))
        let (client, clientSecret) = try await store.createOAuthClient(OAuthClientDraft())
        let gateway = GatewayDirectory(store: store, logger: .init(label: "test"))
        let issued = try #require(
            try await gateway.issueAccessToken(clientID: client.clientID, secret: clientSecret, scope: "llm:proxy", now: Date())
        )
        let secrets = [providerSecret, seededSecret, virtualKeyValue.exposedValue, clientSecret.exposedValue, issued.value.exposedValue]
        // The virtual key's token start is stored on purpose; everything after it must not be.
        let virtualKeyTail = String(virtualKeyValue.exposedValue.dropFirst(VirtualKeyValue.tokenStartLength))

        let raw = try DatabaseQueue(path: path)
        let dumped = try await raw.read { db in
            var values: [String] = []
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                    for (_, value) in row {
                        switch value.storage {
                        case .string(let text): values.append(text)
                        case .blob(let data): values.append(String(decoding: data, as: UTF8.self))
                        default: break
                        }
                    }
                }
            }
            return values
        }
        try raw.close()
        #expect(dumped.count > 20)
        for secret in secrets + [virtualKeyTail] {
            #expect(!dumped.contains { $0.contains(secret) }, "a stored column holds a secret")
        }

        // The file and its WAL, byte for byte, in case a value sits in a free page.
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("g.sqlite") && !$0.hasSuffix(".key") }
        #expect(files.contains("g.sqlite"))
        for file in files {
            let bytes = try #require(FileManager.default.contents(atPath: directory.file(file)))
            for secret in secrets + [virtualKeyTail] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds a secret")
            }
        }
    }
}
