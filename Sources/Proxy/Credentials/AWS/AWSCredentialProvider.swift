package import WireFormats

/// One source of the AWS credential chain (environment, web identity, container, instance
/// metadata).
///
/// `fetch` is bounded: every network call it makes has a deadline, so a dead endpoint is an
/// error, never a hang. Its errors name the source and never contain a secret.
package protocol AWSCredentialProvider: Sendable {
    /// What the source is called in errors and logs (`web identity (STS AssumeRoleWithWebIdentity)`).
    var sourceName: String { get }
    func fetch() async throws(ProxyError) -> SigV4Credentials
}

extension ProxyError {
    /// The proxy could not obtain upstream credentials from `source`: a 502, since the upstream
    /// cannot be called, naming the source so an operator knows where to look.
    package static func upstreamCredentialsUnavailable(source: String, reason: String) -> ProxyError {
        ProxyError(code: .upstreamUnreachable, message: "Could not obtain AWS credentials from \(source): \(reason).")
    }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional `AWS_SESSION_TOKEN`.
package struct AWSEnvironmentCredentialProvider: AWSCredentialProvider {
    let credentials: SigV4Credentials
    package var sourceName: String { "environment variables (AWS_ACCESS_KEY_ID)" }

    package init(credentials: SigV4Credentials) {
        self.credentials = credentials
    }

    package func fetch() async throws(ProxyError) -> SigV4Credentials { self.credentials }
}
