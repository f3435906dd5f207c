import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// Entra ID's and managed identity's JSON answers: keys sorted and slashes unescaped, as the
/// real services write them, so identical requests get identical bytes.
enum EntraJSON {
    static func response(_ status: HTTPResponse.Status, _ object: [String: Any], extraHeaders: HTTPFields = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Self.response(status, bytes: data, extraHeaders: extraHeaders)
    }

    static func response(_ status: HTTPResponse.Status, bytes: Data, extraHeaders: HTTPFields = [:]) -> Response {
        var headers = extraHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store, no-cache"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// An `application/x-www-form-urlencoded` body (`+` is a space).
    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count == 2 ? decode(parts[1]) : ""
        }
        return fields
    }
}
