package import Foundation

/// A request path resolved to a provider: `/v1/<provider>[/<profile-id>]/<native path>`.
///
/// The segment after the provider is a profile id only when it parses as a UUID; otherwise it is
/// the first segment of the provider's native path. Routing works on the raw, still
/// percent-encoded path, so `%2F` inside a segment (Bedrock ARNs) never becomes a separator.
package struct ProxyRoute: Sendable, Equatable {
    package let providerID: String
    package let profileID: UUID?
    /// The path the provider's own API would see, starting with `/`, percent-encoding untouched.
    package let nativePath: String

    package init(providerID: String, profileID: UUID?, nativePath: String) {
        self.providerID = providerID
        self.profileID = profileID
        self.nativePath = nativePath
    }

    /// Parses `rawPath` (no query). Returns `nil` when the path is not under `/v1/<provider>`.
    package init?(rawPath: String) {
        guard rawPath.hasPrefix("/v1/") else { return nil }
        let remainder = rawPath.dropFirst("/v1/".count)
        let providerEnd = remainder.firstIndex(of: "/") ?? remainder.endIndex
        let provider = remainder[..<providerEnd]
        guard !provider.isEmpty else { return nil }
        var rest = remainder[providerEnd...]  // "" or "/..."

        var profileID: UUID?
        if rest.hasPrefix("/") {
            let afterSlash = rest.dropFirst()
            let segmentEnd = afterSlash.firstIndex(of: "/") ?? afterSlash.endIndex
            if let uuid = UUID(uuidString: String(afterSlash[..<segmentEnd])) {
                profileID = uuid
                rest = afterSlash[segmentEnd...]
            }
        }
        self.providerID = String(provider)
        self.profileID = profileID
        self.nativePath = rest.isEmpty ? "/" : String(rest)
    }

    /// The native path with a redundant leading prefix removed (see
    /// ``ProviderDeclaration/redundantPathPrefixes``).
    package func upstreamPath(droppingAny prefixes: [String]) -> String {
        for prefix in prefixes where self.nativePath == prefix || self.nativePath.hasPrefix(prefix + "/") {
            let stripped = String(self.nativePath.dropFirst(prefix.count))
            return stripped.isEmpty ? "/" : stripped
        }
        return self.nativePath
    }
}
