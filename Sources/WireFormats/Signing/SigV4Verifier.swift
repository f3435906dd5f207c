package import Foundation

/// The parsed `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header.
package struct SigV4Authorization: Sendable, Hashable {
    package let accessKeyID: String
    /// `yyyymmdd` from the credential scope.
    package let day: String
    package let region: String
    package let service: String
    package let signedHeaders: [String]
    package let signature: String

    /// `nil` when the header is not a well-formed SigV4 authorization.
    package init?(header: String) {
        let prefix = SigV4Canonical.algorithm + " "
        guard header.hasPrefix(prefix) else { return nil }
        var fields: [String: String] = [:]
        for part in header.dropFirst(prefix.count).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            fields[String(pair[0])] = String(pair[1])
        }
        guard let credential = fields["Credential"], let signedHeaders = fields["SignedHeaders"], let signature = fields["Signature"] else {
            return nil
        }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request", scope[1].count == 8, !scope[0].isEmpty,
            signature.count == 64, signature.allSatisfy(\.isHexDigit)
        else { return nil }
        self.accessKeyID = scope[0]
        self.day = scope[1]
        self.region = scope[2]
        self.service = scope[3]
        self.signedHeaders = signedHeaders.split(separator: ";").map { $0.lowercased() }
        self.signature = signature.lowercased()
    }
}

/// Checks a SigV4-signed request the way AWS does: recomputes the signature over what was
/// received and compares in constant time.
package struct SigV4Verifier: Sendable {
    /// Why a signature was refused. Never carries the secret or the expected signature.
    package enum Failure: Error, Sendable, Equatable {
        /// No `x-amz-date`, or one not matching the credential scope's day.
        case missingOrInvalidDate
        /// `host` or `x-amz-date` not among the signed headers.
        case requiredHeaderNotSigned(String)
        case signatureMismatch
        /// The request's time is more than the allowed skew from now.
        case requestTimeTooSkewed
    }

    /// Largest clock difference accepted (AWS allows 5 minutes).
    package let allowedSkew: TimeInterval

    package init(allowedSkew: TimeInterval = 300) {
        self.allowedSkew = allowedSkew
    }

    package func verify(
        _ request: SigV4Request,
        authorization: SigV4Authorization,
        secretAccessKey: String,
        now: Date
    ) -> Result<Void, Failure> {
        guard let amzDate = request.header("x-amz-date"), amzDate.hasPrefix(authorization.day),
            let requestDate = SigV4Canonical.date(fromAmzDate: amzDate)
        else { return .failure(.missingOrInvalidDate) }
        for required in ["host", "x-amz-date"] where !authorization.signedHeaders.contains(required) {
            return .failure(.requiredHeaderNotSigned(required))
        }
        if request.header("x-amz-security-token") != nil, !authorization.signedHeaders.contains("x-amz-security-token") {
            return .failure(.requiredHeaderNotSigned("x-amz-security-token"))
        }
        let scope = "\(authorization.day)/\(authorization.region)/\(authorization.service)/aws4_request"
        let canonical = SigV4Canonical.canonicalRequest(request, signedHeaders: authorization.signedHeaders)
        let stringToSign = SigV4Canonical.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope)
        let key = SigV4Canonical.signingKey(
            secret: secretAccessKey, date: authorization.day, region: authorization.region, service: authorization.service
        )
        let expected = SigV4Canonical.signature(stringToSign: stringToSign, key: key)
        guard ConstantTimeComparison.areEqual(expected, authorization.signature) else { return .failure(.signatureMismatch) }
        guard abs(requestDate.timeIntervalSince(now)) <= self.allowedSkew else { return .failure(.requestTimeTooSkewed) }
        return .success(())
    }
}
