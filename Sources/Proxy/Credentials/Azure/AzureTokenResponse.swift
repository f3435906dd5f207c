import Foundation

/// Reads a token answer from Entra ID or a managed-identity endpoint into an ``AzureAccessToken``,
/// or into an error that says why without a secret.
enum AzureTokenResponse {
    /// A token answer from Entra or managed identity: `access_token` plus `expires_in` (seconds,
    /// a number from Entra, a string from IMDS) or `expires_on` (epoch seconds as a string).
    static func parse(_ answer: IdentityHTTPClient.Answer, now: Date, source: String, endpointName: String) throws(ProxyError) -> AzureAccessToken {
        let object = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any]
        guard answer.status == 200 else {
            throw .entraTokenUnavailable(source: source, reason: "\(endpointName) answered \(answer.status) \(Self.errorText(object, body: answer.body))")
        }
        guard let object, let token = object["access_token"] as? String, !token.isEmpty else {
            throw .entraTokenUnavailable(source: source, reason: "\(endpointName) answered 200 without an access_token")
        }
        var expiration: Date?
        if let seconds = Self.number(object["expires_in"]) {
            expiration = now.addingTimeInterval(seconds)
        } else if let epoch = Self.number(object["expires_on"]) {
            expiration = Date(timeIntervalSince1970: epoch)
        }
        return AzureAccessToken(token: token, expiration: expiration, obtained: now)
    }

    static func number(_ value: Any?) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String { return Double(text.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    /// Entra's `error` and the first line of `error_description` (`AADSTS7000215: …`; the rest
    /// is trace ids), else the start of the body. Error bodies carry no secrets.
    static func errorText(_ object: [String: Any]?, body: String) -> String {
        if let object, let error = object["error"] as? String {
            guard let description = object["error_description"] as? String,
                let line = description.split(whereSeparator: \.isNewline).first
            else { return error }
            return "\(error): \(line.trimmingCharacters(in: .whitespaces))"
        }
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "with an empty body" }
        return trimmed.count > 200 ? String(trimmed.prefix(200)) + "…" : trimmed
    }
}
