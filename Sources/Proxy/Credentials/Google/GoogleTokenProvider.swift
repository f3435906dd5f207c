package import Foundation
import NIOHTTP1

/// An OAuth2 access token for Google APIs.
package struct GoogleAccessToken: ExpiringCredential, Equatable, CustomStringConvertible {
    /// Never logged or described: see ``description``.
    package let token: String
    package let expiration: Date?

    package init(token: String, expiration: Date?) {
        self.token = token
        self.expiration = expiration
    }

    /// Without the token, so that a cache or authorizer printed by a log line cannot show it.
    package var description: String {
        "GoogleAccessToken(expiration: \(self.expiration.map { "\($0)" } ?? "none"))"
    }
}

/// One source of Application Default Credentials (a key file, gcloud's user credentials, the
/// GCE metadata server).
///
/// `fetch` is bounded: every network call has a deadline, so a dead endpoint is an error, never a
/// hang. Errors name the source and never contain a secret.
package protocol GoogleTokenProvider: Sendable {
    /// What the source is called in errors (`service account key file (GOOGLE_APPLICATION_CREDENTIALS)`).
    var sourceName: String { get }
    func fetch() async throws(ProxyError) -> GoogleAccessToken
}

extension ProxyError {
    /// No access token from `source`: a 502, since the upstream cannot be called, naming the
    /// source so an operator knows where to look.
    package static func googleCredentialsUnavailable(source: String, reason: String) -> ProxyError {
        ProxyError(code: .upstreamUnreachable, message: "Could not obtain a Google access token from \(source): \(reason).")
    }
}

/// The token endpoint's and metadata server's JSON answers, and their errors.
package enum GoogleTokenResponse {
    /// POSTs a token grant as a form to the token endpoint, on a client that lives for this call.
    static func post(
        _ form: [(String, String)], to url: String, timeout: Duration, caBundle: String?, source: String
    ) async throws(ProxyError) -> IdentityHTTPClient.Answer {
        do {
            return try await IdentityHTTPClient.withClient(trusting: caBundle) { http throws(IdentityHTTPClient.Failure) in
                try await http.send(
                    .POST, url: url, headers: [("content-type", "application/x-www-form-urlencoded")],
                    body: IdentityHTTPClient.formEncoded(form), timeout: timeout
                )
            }
        } catch {
            throw .googleCredentialsUnavailable(source: source, reason: error.reason)
        }
    }

    /// `{"access_token": …, "expires_in": 3599 | "3599", "token_type": "Bearer"}`.
    package static func parse(_ body: String, status: Int, source: String, now: Date = Date()) throws(ProxyError) -> GoogleAccessToken {
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        guard status == 200 else {
            throw .googleCredentialsUnavailable(source: source, reason: Self.describeError(object, status: status))
        }
        guard let object, let token = object["access_token"] as? String, !token.isEmpty else {
            throw .googleCredentialsUnavailable(source: source, reason: "the answer carries no access_token")
        }
        let lifetime: Double?
        if let seconds = object["expires_in"] as? Int {
            lifetime = Double(seconds)
        } else if let seconds = object["expires_in"] as? Double {
            lifetime = seconds
        } else if let text = object["expires_in"] as? String {
            lifetime = Double(text)
        } else {
            lifetime = nil
        }
        return GoogleAccessToken(token: token, expiration: lifetime.map { now.addingTimeInterval($0) })
    }

    /// `answered 400: invalid_grant: Invalid JWT Signature.` Google's error text carries no secret;
    /// it is cut short in case an endpoint answers with something long.
    static func describeError(_ object: [String: Any]?, status: Int) -> String {
        var parts = ["the endpoint answered \(status)"]
        if let error = object?["error"] as? String { parts.append(error) }
        if let error = object?["error"] as? [String: Any], let message = error["message"] as? String { parts.append(message) }
        if let description = object?["error_description"] as? String { parts.append(description) }
        return String(parts.joined(separator: ": ").prefix(300))
    }
}
