import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// AWS STS `AssumeRoleWithWebIdentity` (Query protocol): a form `POST /` as botocore sends it,
/// or the same parameters in a `GET /?Action=…` query string. Answers with AWS's XML, and errors
/// with AWS's `ErrorResponse` XML (PROTOCOLS.md §8.1).
///
/// The web identity token must look like a JWT (three base64url parts, a JSON payload with a
/// future `exp`); its signature is not checked, since no identity provider stands behind it.
package struct AWSSTSHandler: Sendable {
    static let namespace = "https://sts.amazonaws.com/doc/2011-06-15/"
    /// Upper bound on a form body: STS parameters are small.
    static let maximumBodyBytes = 64 * 1024

    package init() {}

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        var request = request
        var parameters = Self.formParameters(request.uri.query ?? "")
        if request.method == .post {
            let body = try await request.collectBody(upTo: Self.maximumBodyBytes)
            parameters.merge(Self.formParameters(String(buffer: body))) { _, new in new }
        }
        guard let action = parameters["Action"] else {
            return Self.error(status: .badRequest, code: "MissingAction", message: "Missing Action")
        }
        guard action == "AssumeRoleWithWebIdentity" else {
            return Self.error(status: .badRequest, code: "InvalidAction", message: "Could not find operation \(action) for version 2011-06-15")
        }
        for required in ["RoleArn", "RoleSessionName", "WebIdentityToken"] where (parameters[required] ?? "").isEmpty {
            return Self.error(status: .badRequest, code: "MissingParameter", message: "The request must contain the parameter \(required)")
        }
        let roleARN = parameters["RoleArn"] ?? ""
        let sessionName = parameters["RoleSessionName"] ?? ""
        let roleParts = roleARN.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard roleParts.count == 6, roleParts[0] == "arn", roleParts[2] == "iam", roleParts[5].hasPrefix("role/") else {
            return Self.error(status: .badRequest, code: "ValidationError", message: "\(roleARN) is invalid")
        }
        let duration = Int(parameters["DurationSeconds"] ?? "3600") ?? -1
        guard (900...43200).contains(duration) else {
            return Self.error(
                status: .badRequest, code: "ValidationError",
                message: "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
            )
        }
        // Token files are read verbatim, trailing newline included (PROTOCOLS.md §0.1 rule 7).
        let token = (parameters["WebIdentityToken"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let claims: WebIdentityClaims
        switch WebIdentityClaims.parse(token) {
        case .success(let parsed): claims = parsed
        case .failure(.malformed):
            return Self.error(status: .badRequest, code: "InvalidIdentityToken", message: "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
        case .failure(.expired):
            return Self.error(status: .badRequest, code: "ExpiredTokenException", message: "Token expired: current date/time is after the token's exp claim")
        }
        let credentials = AWSMockCredentialAuthority.issue(lifetime: TimeInterval(duration))
        let roleName = roleParts[5].dropFirst("role/".count)
        let xml = """
            <AssumeRoleWithWebIdentityResponse xmlns="\(Self.namespace)">
              <AssumeRoleWithWebIdentityResult>
                <SubjectFromWebIdentityToken>\(Self.escape(claims.subject))</SubjectFromWebIdentityToken>
                <Audience>\(Self.escape(claims.audience))</Audience>
                <AssumedRoleUser>
                  <Arn>arn:aws:sts::\(roleParts[4]):assumed-role/\(Self.escape(String(roleName)))/\(Self.escape(sessionName))</Arn>
                  <AssumedRoleId>AROAARCHESTRAMOCKROLE:\(Self.escape(sessionName))</AssumedRoleId>
                </AssumedRoleUser>
                <Credentials>
                  <AccessKeyId>\(credentials.accessKeyID)</AccessKeyId>
                  <SecretAccessKey>\(credentials.secretAccessKey)</SecretAccessKey>
                  <SessionToken>\(credentials.sessionToken ?? "")</SessionToken>
                  <Expiration>\(AWSMockCredentialAuthority.iso8601(credentials.expiration ?? Date()))</Expiration>
                </Credentials>
                <Provider>\(Self.escape(claims.issuer))</Provider>
              </AssumeRoleWithWebIdentityResult>
              <ResponseMetadata>
                <RequestId>\(UUID().uuidString.lowercased())</RequestId>
              </ResponseMetadata>
            </AssumeRoleWithWebIdentityResponse>

            """
        return Self.xmlResponse(status: .ok, xml)
    }

    static func error(status: HTTPResponse.Status, code: String, message: String) -> Response {
        let xml = """
            <ErrorResponse xmlns="\(Self.namespace)">
              <Error>
                <Type>Sender</Type>
                <Code>\(code)</Code>
                <Message>\(Self.escape(message))</Message>
              </Error>
              <RequestId>\(UUID().uuidString.lowercased())</RequestId>
            </ErrorResponse>

            """
        return Self.xmlResponse(status: status, xml)
    }

    private static func xmlResponse(status: HTTPResponse.Status, _ xml: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/xml"
        headers[named: "x-amzn-RequestId"] = UUID().uuidString.lowercased()
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `application/x-www-form-urlencoded` pairs (`+` is a space).
    static func formParameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part) }
            result[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }
}

/// The claims STS reads from a web identity token.
struct WebIdentityClaims: Sendable {
    var subject: String
    var audience: String
    var issuer: String

    enum Failure: Error { case malformed, expired }

    static func parse(_ token: String, now: Date = Date()) -> Result<WebIdentityClaims, Failure> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty, let header = Self.base64URLDecode(parts[0]), let payload = Self.base64URLDecode(parts[1]),
            (try? JSONValue(parsing: header))?.objectValue != nil,
            let claims = try? JSONValue(parsing: payload), claims.objectValue != nil
        else { return .failure(.malformed) }
        guard let exp = claims["exp"]?.doubleValue else { return .failure(.malformed) }
        guard exp > now.timeIntervalSince1970 else { return .failure(.expired) }
        let audience = claims["aud"]?.stringValue ?? claims["aud"]?.arrayValue?.first?.stringValue ?? "sts.amazonaws.com"
        return .success(
            WebIdentityClaims(
                subject: claims["sub"]?.stringValue ?? "unknown",
                audience: audience,
                issuer: claims["iss"]?.stringValue ?? "https://oidc.archestra.mock"
            )
        )
    }

    static func base64URLDecode(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
