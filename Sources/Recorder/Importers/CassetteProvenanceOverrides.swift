/// Provenance given on the command line, which wins over what INDEX.md says.
package struct CassetteProvenanceOverrides: Sendable, Hashable {
    package var provider: String?
    /// `owner/name`, optionally `owner/name @ commit: path` as INDEX.md writes it.
    package var source: String?
    package var license: String?

    package init(provider: String? = nil, source: String? = nil, license: String? = nil) {
        self.provider = provider
        self.source = source
        self.license = license
    }

    func apply(to provenance: inout CassetteProvenance) {
        if let provider { provenance.provider = provider }
        if let license { provenance.license = license }
        if let source {
            let parsed = TrafficIndex.parseSource(source)
            provenance.sourceRepository = parsed.repository
            if let commit = parsed.commit { provenance.sourceCommit = commit }
            if let path = parsed.path { provenance.sourcePath = path }
        }
    }
}
