import Foundation
package import HTTPTypes
package import NIOHTTP1

/// Which headers cross the proxy, in each direction.
///
/// Hop-by-hop headers describe one connection, not the message, so they are never forwarded
/// (RFC 9110 §7.6.1); `content-length` and `host` are recomputed for the new hop.
package enum ForwardedHeaders {
    private static let perHopNames: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers",
        "transfer-encoding", "upgrade", "host", "content-length",
    ]

    /// Client headers to send upstream, minus per-hop headers, the credential headers, which
    /// the provider's authorizer sets in the form the upstream expects, and the gateway's own
    /// directives (`x-archestra-…`, such as `X-Archestra-Context-Untrusted`): they are addressed
    /// to this proxy, and would tell the provider how the gateway is configured.
    package static func upstreamRequestHeaders(from fields: HTTPFields, droppingCredentialHeaders credentialHeaders: Set<String>) -> HTTPHeaders {
        let connectionListed = Self.namesListedInConnection(fields.lazy.filter { $0.name == .connection }.map(\.value))
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count)
        for field in fields {
            let name = field.name.canonicalName
            guard !Self.perHopNames.contains(name), !connectionListed.contains(name), !credentialHeaders.contains(name),
                !name.hasPrefix(Self.gatewayDirectivePrefix)
            else { continue }
            headers.add(name: field.name.rawName, value: field.value)
        }
        return headers
    }

    static let gatewayDirectivePrefix = "x-archestra-"

    /// Upstream response headers to send to the client.
    package static func clientResponseHeaders(from headers: HTTPHeaders) -> HTTPFields {
        let connectionListed = Self.namesListedInConnection(headers["connection"])
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count)
        for (name, value) in headers {
            // The field's name is lowercased once, by HTTPTypes, and read from there.
            guard let fieldName = HTTPField.Name(name), !Self.perHopNames.contains(fieldName.canonicalName),
                !connectionListed.contains(fieldName.canonicalName)
            else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }

    private static func namesListedInConnection(_ values: some Sequence<String>) -> Set<String> {
        var names = Set<String>()
        for value in values {
            for token in value.split(separator: ",") {
                names.insert(token.trimmingHTTPWhitespace().lowercased())
            }
        }
        return names
    }
}
