import Foundation

/// Owns the cassette being recorded and rewrites its file after every completed exchange, so a
/// crash loses at most the exchanges still in flight.
actor CassetteRecordingStore {
    private var cassette: Cassette
    private let path: String

    init(path: String, provenance: CassetteProvenance) {
        self.cassette = Cassette(provenance: provenance)
        self.path = path
    }

    /// Appends an (already redacted) interaction and writes the file atomically.
    func append(_ interaction: CassetteInteraction) throws {
        self.cassette.interactions.append(interaction)
        try self.cassette.write(to: self.path)
    }

    /// Writes the cassette even when it has no interactions yet, so the file exists from the start.
    func writeInitial() throws {
        try self.cassette.write(to: self.path)
    }

    var snapshot: Cassette { self.cassette }
}
