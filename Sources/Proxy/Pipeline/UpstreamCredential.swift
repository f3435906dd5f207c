import Foundation
package import HTTPTypes

/// The credential the upstream receives: the client's own, or the provider's fallback key.
///
/// Values are secrets: this type has no description that prints them.
package struct UpstreamCredential: Sendable {
    package let headerName: String
    package let headerValue: String
    /// Whether the key came from the proxy's configuration rather than the client (logged).
    package let isFallback: Bool

    /// Resolves the credential for `provider`. Returns `nil` when the provider accepts requests
    /// without one; throws ``ProxyError/missingCredential(provider:fallbackVariable:)`` otherwise.
    package static func resolve(clientHeaders: HTTPFields, provider: ResolvedProvider) throws(ProxyError) -> UpstreamCredential? {
        let scheme = provider.declaration.upstreamAuth
        if let authorization = clientHeaders[.authorization], !authorization.isEmpty {
            if scheme == .bearer {
                return UpstreamCredential(headerName: "authorization", headerValue: authorization, isFallback: false)
            }
            if let key = Self.bearerToken(in: authorization) {
                let field = scheme.headerField(for: key)
                return UpstreamCredential(headerName: field.name, headerValue: field.value, isFallback: false)
            }
        }
        if let key = provider.fallbackAPIKey {
            let field = scheme.headerField(for: key)
            return UpstreamCredential(headerName: field.name, headerValue: field.value, isFallback: true)
        }
        if provider.declaration.credentialOptional { return nil }
        throw .missingCredential(provider: provider.declaration.id, fallbackVariable: provider.declaration.fallbackAPIKeyVariable)
    }

    private static func bearerToken(in authorization: String) -> String? {
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
