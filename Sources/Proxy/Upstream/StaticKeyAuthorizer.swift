import Foundation
import HTTPTypes
import NIOHTTP1
import WireFormats

/// The API-key authorizer: the client's own key as it came, or a stored provider key in the
/// provider's form.
///
/// The client's credential is looked for in the declared places, in order. It is forwarded in the
/// form it came in when the provider accepts that form; otherwise (Azure's `api-key` from an
/// OpenAI client's `Authorization: Bearer`) it is re-sent in the provider's form. A stored key (a
/// virtual key's mapping, an OAuth client's, or the primary key as fallback) always goes in the
/// provider's form, and the client's credential headers and query parameters are gone by then.
package struct StaticKeyAuthorizer: UpstreamAuthorizer {
    let providerID: String
    let clientCredentials: [ClientCredentialLocation]
    let upstreamAuth: UpstreamAuthScheme
    let forwardsClientCredentialAsSent: Bool
    let credentialOptional: Bool
    let fallbackAPIKeyVariable: String

    package init(declaration: ProviderDeclaration) {
        self.providerID = declaration.id
        self.clientCredentials = declaration.clientCredentials
        self.upstreamAuth = declaration.upstreamAuth
        self.forwardsClientCredentialAsSent = declaration.forwardsClientCredentialAsSent
        self.credentialOptional = declaration.credentialOptional
        self.fallbackAPIKeyVariable = declaration.fallbackAPIKeyVariable
    }

    package func authorize(_ request: inout UpstreamRequest, credential: UpstreamCredential) async throws(ProxyError) -> CredentialSource {
        switch credential {
        case .client(let client):
            for location in self.clientCredentials {
                guard let key = location.key(in: client) else { continue }
                if self.forwardsClientCredentialAsSent {
                    // A query credential is already in the forwarded query string.
                    if case .header(let name, _) = location.backing { request.headers.replaceOrAdd(name: name, value: location.rawValue(in: client) ?? key) }
                } else {
                    let field = self.upstreamAuth.headerField(for: key)
                    request.headers.replaceOrAdd(name: field.name, value: field.value)
                }
                return .client
            }
        case .stored(let key, let source):
            let field = self.upstreamAuth.headerField(for: key.exposedValue)
            request.headers.replaceOrAdd(name: field.name, value: field.value)
            return source
        case .none:
            break
        }
        if self.credentialOptional { return .none }
        throw self.missingCredential
    }

    var missingCredential: ProxyError {
        let forms = self.clientCredentials.map(\.clientForm).joined(separator: " or ")
        return .missingCredential(provider: self.providerID, fallbackVariable: self.fallbackAPIKeyVariable, sendAs: forms.isEmpty ? "a key" : forms)
    }
}

/// A place a client may put its key.
package struct ClientCredentialLocation: Sendable, Hashable {
    enum Backing: Hashable {
        /// `isBearer`: the value is `Bearer <key>` and the key is what follows.
        case header(String, isBearer: Bool)
        case query(String)
    }

    let backing: Backing
    /// The header's name as HTTPTypes reads it, made once: building it validates and lowercases
    /// the name, which ran twice a request (authentication, then the upstream authorizer).
    private let fieldName: HTTPField.Name?

    private init(backing: Backing) {
        self.backing = backing
        guard case .header(let name, _) = backing else {
            self.fieldName = nil
            return
        }
        guard let fieldName = HTTPField.Name(name) else {
            preconditionFailure("a provider declaration names an invalid credential header: \(name)")
        }
        self.fieldName = fieldName
    }

    /// `Authorization: Bearer <key>`.
    package static let authorizationBearer = ClientCredentialLocation(backing: .header("authorization", isBearer: true))
    /// The key alone in a named header (`x-api-key`, `x-goog-api-key`, `api-key`).
    package static func header(_ name: String) -> ClientCredentialLocation { ClientCredentialLocation(backing: .header(name, isBearer: false)) }
    /// A query parameter (`?key=` for Gemini).
    package static func query(_ name: String) -> ClientCredentialLocation { ClientCredentialLocation(backing: .query(name)) }

    /// The header names that carry credentials, which the generic header forwarding leaves to the authorizer.
    var headerName: String? {
        if case .header(let name, _) = self.backing { return name }
        return nil
    }

    /// The value exactly as the client sent it.
    func rawValue(in client: ClientCredentials) -> String? {
        switch self.backing {
        case .header:
            guard let fieldName = self.fieldName, let value = client.headers[fieldName], !value.isEmpty else { return nil }
            return value
        case .query(let name):
            return Self.queryValue(named: name, in: client.query)
        }
    }

    /// The key itself.
    func key(in client: ClientCredentials) -> String? {
        guard let raw = self.rawValue(in: client) else { return nil }
        guard case .header(_, isBearer: true) = self.backing else { return raw }
        let parts = raw.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, Self.isBearerScheme(parts[0]) else { return nil }
        let token = parts[1].trimmingHTTPWhitespace()
        return token.isEmpty ? nil : String(token)
    }

    /// `Bearer` in any case (RFC 9110 §11.1: the scheme is case-insensitive), without
    /// lowercasing a copy of it.
    private static func isBearerScheme(_ scheme: Substring) -> Bool {
        scheme.utf8.count == 6 && zip(scheme.utf8, "bearer".utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    /// `query` without this location's parameter (a credential the proxy replaces must not
    /// travel upstream in the URL); unchanged for header locations.
    func removing(from query: String?) -> String? {
        guard case .query(let name) = self.backing else { return query }
        return QueryParameters.removing(from: query) { parameter, _ in parameter == name }
    }

    private static func queryValue(named name: String, in query: String?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == name {
                let value = String(parts[1]).removingPercentEncoding ?? String(parts[1])
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }
}
