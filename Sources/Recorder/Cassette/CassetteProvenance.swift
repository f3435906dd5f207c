/// Where a cassette's traffic came from, so a reviewer can judge how far to trust it and the
/// licences of converted captures can be honoured.
package struct CassetteProvenance: Codable, Sendable, Hashable {
    package enum Kind: String, Codable, Sendable, Hashable {
        /// Captured by `archestra record` from a real upstream.
        case recorded
        /// Converted from a public capture in another tool's format.
        case converted
        /// Captured by `archestra record` in front of our own emulator; not an oracle.
        case recordedFromEmulator = "recorded-from-emulator"
    }

    package var kind: Kind
    /// Scheme and authority of the upstream the traffic went to, e.g. `https://api.openai.com`.
    package var upstream: String?
    /// ISO 8601 date of the recording (or of the conversion, for converted cassettes).
    package var recordedAt: String?
    /// The tool that wrote the cassette, e.g. `archestra record 0.1.0`.
    package var tool: String?
    package var provider: String?
    /// Converted cassettes: the public repository the capture came from (`owner/name`).
    package var sourceRepository: String?
    package var sourceCommit: String?
    package var sourcePath: String?
    package var license: String?
    /// Converted cassettes: the format of the original file, e.g. `go-vcr v4 YAML`.
    package var originalFormat: String?
    package var notes: String?

    package init(
        kind: Kind,
        upstream: String? = nil,
        recordedAt: String? = nil,
        tool: String? = nil,
        provider: String? = nil,
        sourceRepository: String? = nil,
        sourceCommit: String? = nil,
        sourcePath: String? = nil,
        license: String? = nil,
        originalFormat: String? = nil,
        notes: String? = nil
    ) {
        self.kind = kind
        self.upstream = upstream
        self.recordedAt = recordedAt
        self.tool = tool
        self.provider = provider
        self.sourceRepository = sourceRepository
        self.sourceCommit = sourceCommit
        self.sourcePath = sourcePath
        self.license = license
        self.originalFormat = originalFormat
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case kind, upstream, tool, provider, license, notes
        case recordedAt = "recorded_at"
        case sourceRepository = "source_repository"
        case sourceCommit = "source_commit"
        case sourcePath = "source_path"
        case originalFormat = "original_format"
    }
}
