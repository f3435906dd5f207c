import Crypto
package import Foundation
package import WireFormats

/// The credentials the AWS emulators issue and accept.
///
/// Issued credentials are stateless: the secret is an HMAC of the access key id and the session
/// token carries the access key id and expiry under an HMAC, all with a key drawn once per
/// process. So STS, the instance-metadata and container endpoints can issue credentials that the
/// Bedrock emulator accepts without sharing any table, and a forged or altered token is refused.
package enum AWSMockCredentialAuthority {
    /// The long-term test key written to the env file (`AWS_ACCESS_KEY_ID`).
    package static let accessKeyID = "AKIAARCHESTRAMOCK001"
    /// Its secret (`AWS_SECRET_ACCESS_KEY`). A test value with no meaning outside the emulators.
    package static let secretAccessKey = "archestraMockSecretAccessKey/0000000000001"
    /// A Bedrock API key the emulator accepts as `Authorization: Bearer` (`AWS_BEARER_TOKEN_BEDROCK`).
    package static let bedrockAPIKey = "ABSKQmVkcm9ja0FQSUtleS1hcmNoZXN0cmEtbW9jaw=="
    /// The role the identity emulators hand out credentials for.
    package static let roleName = "archestra-mock-role"
    package static let accountID = "123456789012"

    /// Drawn once per process: every emulator in the process shares it.
    private static let key = SymmetricKey(size: .bits256)
    private static let tokenPrefix = "ArchestraMockSession1"

    /// Temporary credentials valid for `lifetime` from `now` (a negative lifetime issues
    /// already-expired credentials, for tests).
    package static func issue(lifetime: TimeInterval, now: Date = Date()) -> SigV4Credentials {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let suffix = String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
        let accessKeyID = "ASIA" + suffix
        let expiry = Int64((now.timeIntervalSince1970 + lifetime).rounded(.down))
        let token = "\(Self.tokenPrefix).\(accessKeyID).\(expiry).\(Self.mac("token|\(accessKeyID)|\(expiry)"))"
        return SigV4Credentials(
            accessKeyID: accessKeyID,
            secretAccessKey: Self.secret(forIssued: accessKeyID),
            sessionToken: token,
            expiration: Date(timeIntervalSince1970: TimeInterval(expiry))
        )
    }

    /// Why a credential is refused, in the terms AWS uses.
    package enum Rejection: Error, Sendable, Equatable {
        /// Unknown access key, or a session token that is not ours or not for this key.
        case unrecognizedClient
        /// A valid session token past its expiry.
        case expiredToken
    }

    /// The secret for `accessKeyID`, checking the session token that must accompany issued keys.
    package static func secret(accessKeyID: String, sessionToken: String?, now: Date = Date()) -> Result<String, Rejection> {
        if accessKeyID == Self.accessKeyID {
            return sessionToken == nil ? .success(Self.secretAccessKey) : .failure(.unrecognizedClient)
        }
        guard accessKeyID.hasPrefix("ASIA"), let sessionToken else { return .failure(.unrecognizedClient) }
        let parts = sessionToken.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == Self.tokenPrefix, parts[1] == accessKeyID, let expiry = Int64(parts[2]),
            ConstantTimeComparison.areEqual(parts[3], Self.mac("token|\(accessKeyID)|\(expiry)"))
        else { return .failure(.unrecognizedClient) }
        guard TimeInterval(expiry) > now.timeIntervalSince1970 else { return .failure(.expiredToken) }
        return .success(Self.secret(forIssued: accessKeyID))
    }

    private static func secret(forIssued accessKeyID: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data("secret|\(accessKeyID)".utf8), using: Self.key)).base64EncodedString()
            .replacingOccurrences(of: "=", with: "")
    }

    /// A keyed MAC in hex, for tokens the emulators issue and later check.
    package static func mac(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: Self.key).map { String(format: "%02x", $0) }.joined()
    }

    /// ISO 8601 with seconds, UTC, as AWS writes `Expiration`.
    package static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
