import Foundation

/// Bedrock's URL layout: the model id is a path segment, `/model/<modelId>/converse[-stream]`.
///
/// boto3 already sends that shape (the id percent-encoded, ARNs with `%2F`), which is forwarded
/// untouched because SigV4 covers the raw path. The short shape `/converse` with `modelId` in
/// the body is rewritten to it, the id encoded as one segment the way botocore encodes it.
package struct BedrockURLResolver: UpstreamURLResolver {
    package init() {}

    package func operationPath(for route: ProxyRoute) -> String { route.nativePath }

    package func upstreamURL(baseURL: String, operationPath: String, query: String?, summary: RequestSummary) throws(ProxyError) -> String {
        if operationPath.hasPrefix("/model/") {
            return AppendOperationPath.join(baseURL: baseURL, path: operationPath, query: query)
        }
        guard operationPath == "/converse" || operationPath == "/converse-stream" else {
            throw .unknownRoute(method: "POST", path: operationPath)
        }
        guard let model = summary.model else { throw .malformedJSON("field 'modelId' is missing") }
        return AppendOperationPath.join(baseURL: baseURL, path: "/model/\(Self.encodeSegment(model))\(operationPath)", query: query)
    }

    /// The decoded model id of a `/model/<id>/…` path.
    static func modelID(inPath path: String) -> String? {
        guard path.hasPrefix("/model/") else { return nil }
        let rest = path.dropFirst("/model/".count)
        guard let end = rest.firstIndex(of: "/") else { return nil }
        let raw = String(rest[..<end])
        return raw.removingPercentEncoding ?? raw
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes everything but RFC 3986 unreserved characters (`:` → `%3A`, `/` → `%2F`).
    static func encodeSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? text
    }
}
