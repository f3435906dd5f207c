import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// The GCE metadata server (PROTOCOLS.md §8.4). Every request must carry `Metadata-Flavor:
/// Google` (else 403) and every answer echoes it: google-auth's detection ping trusts only an
/// answer with that header. JSON answers are `application/json`, plain values `application/text`,
/// because google-auth decodes JSON by content type.
package struct GoogleMetadataHandler: Sendable {
    let tokenLifetime: TimeInterval

    package init(tokenLifetime: Double = 3599) {
        self.tokenLifetime = tokenLifetime
    }

    static let accountPrefix = "/computeMetadata/v1/instance/service-accounts/"

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        guard request.headers[named: "metadata-flavor"] == "Google" else {
            return Self.answer(.forbidden, "Missing required header: Metadata-Flavor: Google\n", contentType: "text/html; charset=UTF-8")
        }
        let path = request.uri.path
        switch path {
        case "/":
            return Self.answer(.ok, "computeMetadata/\n")
        case "/computeMetadata/v1/project/project-id":
            return Self.answer(.ok, GoogleMockIdentity.projectID)
        case "/computeMetadata/v1/project/numeric-project-id":
            return Self.answer(.ok, GoogleMockIdentity.projectNumber)
        case "/computeMetadata/v1/universe/universe-domain":
            return Self.answer(.ok, "googleapis.com")
        case "/computeMetadata/v1/instance/service-accounts", "/computeMetadata/v1/instance/service-accounts/":
            return Self.answer(.ok, "default/\n\(GoogleMockIdentity.clientEmail)/\n")
        default:
            break
        }
        guard path.hasPrefix(Self.accountPrefix) else { return Self.answer(.notFound, "Not Found\n", contentType: "text/html; charset=UTF-8") }
        let rest = path.dropFirst(Self.accountPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard let account = rest.first, account == "default" || account == GoogleMockIdentity.clientEmail else {
            return Self.answer(.notFound, "Not Found\n", contentType: "text/html; charset=UTF-8")
        }
        let item = rest.count > 1 ? String(rest[1]) : ""
        let query = { (name: String) in DialectAuthenticationMiddleware<BasicRequestContext>.queryValue(name, in: request) }
        switch item {
        case "":
            if query("recursive") == "true" {
                return Self.json([
                    "aliases": ["default"], "email": .string(GoogleMockIdentity.clientEmail), "scopes": [.string(GoogleMockIdentity.cloudPlatformScope)],
                ])
            }
            return Self.answer(.ok, "aliases\nemail\nidentity\nscopes\ntoken\n")
        case "email":
            return Self.answer(.ok, GoogleMockIdentity.clientEmail)
        case "scopes":
            return Self.answer(.ok, GoogleMockIdentity.cloudPlatformScope + "\n")
        case "aliases":
            return Self.answer(.ok, "default\n")
        case "token":
            // The instance's scopes unless the caller asks for others (`?scopes=a,b`).
            let scopes = query("scopes").map { $0.split(separator: ",").map(String.init) } ?? [GoogleMockIdentity.cloudPlatformScope]
            return Self.json([
                "access_token": .string(GoogleMockIdentity.issueAccessToken(scopes: scopes, lifetime: self.tokenLifetime)),
                "expires_in": .int(Int(self.tokenLifetime)), "token_type": "Bearer",
            ])
        case "identity":
            guard let audience = query("audience"), !audience.isEmpty else {
                return Self.answer(.badRequest, "non-empty audience parameter required\n")
            }
            let token = try GoogleMockIdentity.idToken(audience: audience)
            return Self.answer(.ok, token)
        default:
            return Self.answer(.notFound, "Not Found\n", contentType: "text/html; charset=UTF-8")
        }
    }

    static func answer(_ status: HTTPResponse.Status, _ body: String, contentType: String = "application/text") -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers[named: "Metadata-Flavor"] = "Google"
        headers[named: "Server"] = "Metadata Server for VM"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ value: JSONValue) -> Response {
        var response = Self.answer(.ok, value.encodedString(), contentType: "application/json")
        response.headers[.contentType] = "application/json"
        return response
    }
}
