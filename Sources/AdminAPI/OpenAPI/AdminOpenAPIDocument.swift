import HTTPTypes
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 document of the admin API and the token endpoint (`openapi.json` beside this
/// file, compiled in by `embed-openapi.sh`).
///
/// Written by hand rather than generating the server from it: the routes need error shapes,
/// limits and a form-encoded endpoint the generated server would have to be bent around, and a
/// generated request type would hold `api_key` as a plain `String` whose description prints it.
/// Tests keep the two honest instead: every route registered is in the document and every
/// operation in the document is registered, and each schema's properties match the Swift types'
/// coding keys.
package enum AdminOpenAPIDocument {
    /// The document's bytes, exactly as in `openapi.json`.
    package static var json: String { self.text }

    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: self.text)))
    }
}
