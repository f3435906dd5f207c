public import Foundation

/// An AWS access key, its secret and (for temporary credentials) a session token.
///
/// `description` never shows the secret or the token: credentials end up in values that get
/// logged by accident.
public struct SigV4Credentials: Sendable, Hashable, CustomStringConvertible {
    public let accessKeyID: String
    public let secretAccessKey: String
    public let sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public let expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var description: String {
        "SigV4Credentials(accessKeyID: \(self.accessKeyID), secretAccessKey: ***, sessionToken: \(self.sessionToken == nil ? "none" : "***"))"
    }
}
