package import Foundation

/// An AWS access key, its secret and (for temporary credentials) a session token.
///
/// `description` never shows the secret or the token: credentials end up in values that get
/// logged by accident.
package struct SigV4Credentials: Sendable, Hashable, CustomStringConvertible {
    package let accessKeyID: String
    package let secretAccessKey: String
    package let sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    package let expiration: Date?

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    package var description: String {
        "SigV4Credentials(accessKeyID: \(self.accessKeyID), secretAccessKey: ***, sessionToken: \(self.sessionToken == nil ? "none" : "***"))"
    }
}
