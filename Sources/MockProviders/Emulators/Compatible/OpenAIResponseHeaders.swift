import Foundation
package import HTTPTypes

/// The informational headers the real OpenAI API sends on every answer, which every
/// OpenAI-compatible emulator sends too (the SDKs expose `x-request-id`).
enum OpenAIResponseHeaders {
    /// Adds the headers; one the handler already set (a 429's exhausted rate limit) is kept.
    static func add(to headers: inout HTTPFields, processing: Duration) {
        let milliseconds = processing.components.seconds * 1000 + processing.components.attoseconds / 1_000_000_000_000_000
        let defaults: [(HTTPField.Name, String)] = [
            (.openAIRequestID, "req_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()),
            (.openAIProcessingMilliseconds, String(milliseconds)),
            (.openAIVersion, "2020-10-01"),
            (.rateLimitLimitRequests, "10000"),
            (.rateLimitLimitTokens, "30000000"),
            (.rateLimitRemainingRequests, "9999"),
            (.rateLimitRemainingTokens, "29999000"),
            (.rateLimitResetRequests, "6ms"),
            (.rateLimitResetTokens, "2ms"),
        ]
        for (name, value) in defaults where headers[name] == nil {
            headers[name] = value
        }
    }
}

extension HTTPField.Name {
    // Names are the real API's; HTTPFields compares names case-insensitively.
    package static let openAIRequestID = Self(literal: "x-request-id")
    package static let openAIProcessingMilliseconds = Self(literal: "openai-processing-ms")
    package static let openAIVersion = Self(literal: "openai-version")
    package static let rateLimitLimitRequests = Self(literal: "x-ratelimit-limit-requests")
    package static let rateLimitLimitTokens = Self(literal: "x-ratelimit-limit-tokens")
    package static let rateLimitRemainingRequests = Self(literal: "x-ratelimit-remaining-requests")
    package static let rateLimitRemainingTokens = Self(literal: "x-ratelimit-remaining-tokens")
    package static let rateLimitResetRequests = Self(literal: "x-ratelimit-reset-requests")
    package static let rateLimitResetTokens = Self(literal: "x-ratelimit-reset-tokens")
}
