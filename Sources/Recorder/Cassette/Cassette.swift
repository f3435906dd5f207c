package import Foundation

/// A recorded set of HTTP exchanges with one upstream, stored as pretty-printed JSON with
/// sorted keys so that a cassette diff in review shows only what changed.
///
/// See `docs/cassettes.md` for the format reference.
package struct Cassette: Codable, Sendable, Hashable {
    /// The format version this code writes. Readers refuse newer versions rather than guess.
    package static let currentVersion = 1

    package var version: Int
    package var provenance: CassetteProvenance
    package var interactions: [CassetteInteraction]

    package init(
        version: Int = Cassette.currentVersion,
        provenance: CassetteProvenance,
        interactions: [CassetteInteraction] = []
    ) {
        self.version = version
        self.provenance = provenance
        self.interactions = interactions
    }
}

extension Cassette {
    /// Reads and decodes a cassette file.
    ///
    /// - Throws: ``CassetteFileError`` when the file cannot be read, is not a cassette, or was
    ///   written by a newer format version.
    package static func load(from path: String) throws -> Cassette {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CassetteFileError.unreadable(path: path)
        }
        return try Self.decode(data, path: path)
    }

    /// Decodes cassette JSON; `path` only labels errors.
    package static func decode(_ data: Data, path: String = "<memory>") throws -> Cassette {
        let cassette: Cassette
        do {
            cassette = try JSONDecoder().decode(Cassette.self, from: data)
        } catch {
            throw CassetteFileError.malformed(path: path, reason: String(describing: error))
        }
        guard cassette.version <= Cassette.currentVersion else {
            throw CassetteFileError.unsupportedVersion(path: path, version: cassette.version)
        }
        // Checked once here so that ``CassetteBody/bytes`` can be trusted everywhere after.
        if let location = cassette.firstInvalidBase64Location {
            throw CassetteFileError.malformed(path: path, reason: "\(location) is not valid base64")
        }
        return cassette
    }

    /// The JSON text of this cassette: pretty-printed, sorted keys, `/` unescaped, and a final
    /// newline, so the same cassette always serialises to the same bytes.
    package func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// Writes the cassette atomically: to a temporary file beside `path`, then renamed over it,
    /// so a reader (or a crash) never sees half a cassette.
    ///
    /// - Throws: ``CassetteFileError/unwritable(path:)`` when the directory is missing or not
    ///   writable.
    package func write(to path: String) throws {
        try AtomicFileWriter.write(try self.encoded(), to: path)
    }
}

extension Cassette {
    /// Where the first base64 body or frame that does not decode is, e.g. `interactions[2].response.stream[5]`.
    var firstInvalidBase64Location: String? {
        func isValid(_ body: CassetteBody?) -> Bool {
            guard let body, body.encoding == .base64 else { return true }
            return Data(base64Encoded: body.data) != nil
        }
        for (index, interaction) in self.interactions.enumerated() {
            if !isValid(interaction.request.body) { return "interactions[\(index)].request.body" }
            if !isValid(interaction.response.body) { return "interactions[\(index)].response.body" }
            for (frameIndex, frame) in (interaction.response.stream ?? []).enumerated() where !isValid(frame.body) {
                return "interactions[\(index)].response.stream[\(frameIndex)]"
            }
        }
        return nil
    }
}
