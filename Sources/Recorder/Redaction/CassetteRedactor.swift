import Foundation
import RegexBuilder
import WireFormats

/// Scrubs secret values out of an exchange before it is written or logged.
///
/// Only values are replaced, never names or structure, so a cassette still shows that a
/// credential was sent and in which shape (`Bearer <redacted>`), and replay can check its
/// presence. Bodies are edited as text in place rather than parsed and re-serialised, so every
/// byte that is not a secret stays exactly as recorded. Bodies that are not UTF-8 (gzip,
/// event-stream) are left alone: they carry model output, not credentials.
package struct CassetteRedactor: Sendable {
    /// The value written in place of every secret.
    package static let placeholder = SecretFieldRedactor.placeholder
    /// ``placeholder`` percent-encoded, as it appears in a query string.
    package static let queryPlaceholder = "%3Credacted%3E"

    /// Headers whose whole value is secret (lower-cased).
    package var secretHeaders: Set<String> = ["api-key", "x-api-key", "x-goog-api-key", "x-amz-security-token"]
    /// Headers of the form `<scheme> <credential>`: the scheme is kept (lower-cased).
    package var credentialHeaders: Set<String> = ["authorization", "proxy-authorization"]
    /// Query parameters whose value is secret (compared case-insensitively).
    package var secretQueryParameters: Set<String> = [
        "key", "api_key", "access_token", "x-amz-signature", "x-amz-credential", "x-amz-security-token",
    ]
    /// JSON, form and XML fields whose value is secret (OAuth token endpoints, AWS STS).
    package var secretBodyFields: [String] = SecretFieldRedactor().secretBodyFields

    package init() {}

    package func redact(_ interaction: CassetteInteraction) -> CassetteInteraction {
        var result = interaction
        result.request = self.redact(interaction.request)
        result.response = self.redact(interaction.response)
        return result
    }

    package func redact(_ request: CassetteRequest) -> CassetteRequest {
        var result = request
        result.path = self.redact(path: request.path)
        result.headers = self.redact(headers: request.headers)
        result.body = request.body.map(self.redact(body:))
        return result
    }

    package func redact(_ response: CassetteResponse) -> CassetteResponse {
        var result = response
        result.headers = self.redact(headers: response.headers)
        result.body = response.body.map(self.redact(body:))
        result.stream = response.stream?.map { frame in
            CassetteFrame(offsetMs: frame.offsetMs, body: self.redact(body: frame.body))
        }
        return result
    }

    package func redact(headers: [CassetteHeader]) -> [CassetteHeader] {
        headers.map { CassetteHeader($0.name, self.redact(headerValue: $0.value, named: $0.name)) }
    }

    package func redact(headerValue value: String, named name: String) -> String {
        let lowered = name.lowercased()
        if self.secretHeaders.contains(lowered) { return Self.placeholder }
        if self.credentialHeaders.contains(lowered) {
            guard let space = value.firstIndex(of: " ") else { return Self.placeholder }
            return "\(value[..<space]) \(Self.placeholder)"
        }
        switch lowered {
        case "cookie":
            return value.split(separator: ";").map { self.redactCookiePair($0) }.joined(separator: ";")
        case "set-cookie":
            // Only the first pair is the cookie; the rest are attributes (path, expiry) worth keeping.
            let parts = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = parts.first else { return value }
            return ([self.redactCookiePair(first)] + parts.dropFirst().map(String.init)).joined(separator: ";")
        default:
            return value
        }
    }

    private func redactCookiePair(_ pair: Substring) -> String {
        guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
        return "\(pair[...equals])\(Self.placeholder)"
    }

    /// Replaces secret query parameter values in a path such as `/v1/x?key=abc&alt=sse`.
    package func redact(path: String) -> String {
        guard let question = path.firstIndex(of: "?") else { return path }
        let query = path[path.index(after: question)...]
        let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter -> String in
            guard let equals = parameter.firstIndex(of: "=") else { return String(parameter) }
            let name = parameter[..<equals].removingPercentEncoding ?? String(parameter[..<equals])
            guard self.secretQueryParameters.contains(name.lowercased()) else { return String(parameter) }
            return "\(parameter[...equals])\(Self.queryPlaceholder)"
        }
        return "\(path[...question])\(parameters.joined(separator: "&"))"
    }

    package func redact(body: CassetteBody) -> CassetteBody {
        guard body.encoding == .utf8 else { return body }
        var result = body
        result.data = self.redact(text: body.data)
        return result
    }

    /// Replaces secret field values in JSON, form-encoded and XML text, in place
    /// (``SecretFieldRedactor``, the rule the interaction log shares).
    package func redact(text: String) -> String {
        var fields = SecretFieldRedactor()
        fields.secretBodyFields = self.secretBodyFields
        return fields.redact(text: text)
    }
}
