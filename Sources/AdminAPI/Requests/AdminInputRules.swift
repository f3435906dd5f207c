import Foundation
import HTTPTypes
import WireFormats

/// The checks an administrator's input passes before it reaches the store, shared by the HTTP
/// API and the CLI. Each limit here is also in `openapi.json`, so a client generated from the
/// document fails on the same inputs the server refuses.
///
/// Lengths count Unicode scalars, as JSON Schema's `maxLength` does, not Swift `Character`s.
enum AdminInputRules {
    static let maximumNameLength = 200
    static let maximumAPIKeyLength = 8192
    static let maximumExtraHeaders = 32
    static let maximumExtraHeaderValueLength = 4096
    static let maximumIDs = 64
    /// Ten years: far enough for any real key, near enough that `now + seconds` cannot overflow.
    static let maximumExpiresInSeconds = 315_360_000

    /// Headers that frame or route the request the proxy sends: an extra header of one of these
    /// names would let a key's settings corrupt the upstream call rather than decorate it.
    static let forbiddenExtraHeaders: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
    ]

    static func name(_ value: String, field: String = "name") throws -> String {
        let length = value.unicodeScalars.count
        guard length >= 1, length <= self.maximumNameLength else {
            throw AdminAPIError.invalidField(field, "must be 1 to \(self.maximumNameLength) characters")
        }
        return value
    }

    static func optionalName(_ value: String?) throws -> String? {
        try value.map { try self.name($0) }
    }

    /// A provider key goes into an HTTP header upstream: printable ASCII without spaces, so it
    /// can neither split a header nor be mangled by one.
    static func apiKey(_ secret: Secret, field: String = "api_key") throws -> Secret {
        let scalars = secret.exposedValue.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= self.maximumAPIKeyLength,
            scalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E })
        else {
            throw AdminAPIError.invalidField(field, "must be 1 to \(self.maximumAPIKeyLength) printable ASCII characters without spaces")
        }
        return secret
    }

    static func provider(_ value: String, known: [String]) throws -> String {
        guard known.contains(value) else { throw AdminAPIError.unknownProvider(known: known) }
        return value
    }

    static func baseURL(_ value: String, field: String = "base_url") throws -> String {
        guard let normalised = UpstreamBaseURL.validated(value) else {
            throw AdminAPIError.invalidBaseURL(field, rule: UpstreamBaseURL.rule)
        }
        return normalised
    }

    static func extraHeaders(_ headers: [String: String], field: String = "extra_headers") throws -> [String: String] {
        guard headers.count <= self.maximumExtraHeaders else {
            throw AdminAPIError.invalidField(field, "may hold at most \(self.maximumExtraHeaders) headers")
        }
        var normalised: [String: String] = [:]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            guard let fieldName = HTTPField.Name(name) else {
                throw AdminAPIError.invalidField(field, "holds a name that is not an HTTP header name")
            }
            let canonical = fieldName.canonicalName
            guard !self.forbiddenExtraHeaders.contains(canonical) else {
                throw AdminAPIError.invalidField(field, "may not set `\(canonical)`: the proxy frames the request itself")
            }
            guard normalised[canonical] == nil else {
                throw AdminAPIError.invalidField(field, "names `\(canonical)` twice")
            }
            let scalars = value.unicodeScalars
            guard scalars.count <= self.maximumExtraHeaderValueLength,
                scalars.allSatisfy({ $0 == "\t" || ($0.value >= 0x20 && $0.value <= 0x7E) })
            else {
                throw AdminAPIError.invalidField(field, "values must be printable ASCII of at most \(self.maximumExtraHeaderValueLength) characters")
            }
            normalised[canonical] = value
        }
        return normalised
    }

    static func ids(_ ids: [UUID], field: String) throws -> [UUID] {
        guard ids.count <= self.maximumIDs else {
            throw AdminAPIError.invalidField(field, "may hold at most \(self.maximumIDs) ids")
        }
        guard Set(ids).count == ids.count else {
            throw AdminAPIError.invalidField(field, "names an id twice")
        }
        return ids
    }

    static func expiry(expiresAt: Date?, expiresInSeconds: Int?, now: Date) throws -> Date? {
        switch (expiresAt, expiresInSeconds) {
        case (.some, .some):
            throw AdminAPIError.invalidField("expires_in_seconds", "cannot be sent with `expires_at`")
        case (.some(let date), .none):
            return try self.futureDate(date, field: "expires_at", now: now)
        case (.none, .some(let seconds)):
            guard seconds >= 1, seconds <= self.maximumExpiresInSeconds else {
                throw AdminAPIError.invalidField("expires_in_seconds", "must be 1 to \(self.maximumExpiresInSeconds)")
            }
            return now.addingTimeInterval(TimeInterval(seconds))
        case (.none, .none):
            return nil
        }
    }

    static func futureDate(_ date: Date, field: String, now: Date) throws -> Date {
        guard date > now else { throw AdminAPIError.invalidField(field, "must be in the future") }
        guard date.timeIntervalSince(now) <= TimeInterval(self.maximumExpiresInSeconds) else {
            throw AdminAPIError.invalidField(field, "must be at most ten years ahead")
        }
        return date
    }
}
