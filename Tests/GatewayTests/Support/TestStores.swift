import Foundation
import GRDB
import Testing
import Gateway
import WireFormats

/// The two engines every store test runs on.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory
    case file

    var testDescription: String { self.rawValue }
}

/// A directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("archestra-gw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: false)
    }

    func file(_ name: String) -> String { self.path + "/" + name }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}

/// A store and whatever it needs cleaned up.
struct OpenedStore: Sendable {
    let store: SQLiteGatewayStore
    let directory: TemporaryDirectory?

    func close() { self.directory?.remove() }
}

enum TestStores {
    static let fixedBox: SecretBox = {
        do {
            return try SecretBox(rawKey: Array(repeating: 7, count: 32))
        } catch {
            fatalError("a 32-byte key is valid: \(error)")
        }
    }()

    static func open(_ kind: StoreKind) async throws -> OpenedStore {
        switch kind {
        case .memory:
            return OpenedStore(store: try await SQLiteGatewayStore(url: .sqliteInMemory, secretBox: self.fixedBox), directory: nil)
        case .file:
            let directory = try TemporaryDirectory()
            let store = try await SQLiteGatewayStore(url: .sqliteFile(path: directory.file("gateway.sqlite")), secretBox: self.fixedBox)
            return OpenedStore(store: store, directory: directory)
        }
    }
}

extension Date {
    /// A whole-millisecond date, as the store returns dates.
    static func milliseconds(_ value: Int64) -> Date {
        Date(timeIntervalSince1970: Double(value) / 1000)
    }
}
