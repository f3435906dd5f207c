import Foundation
package import Gateway

/// One interaction log row as the admin API and `archestra logs --json` print it.
///
/// Durations are milliseconds (fractional, from the stored microseconds); dollar amounts are
/// decimal strings, exact (`"0.0000015"`), since a JSON number would be read as a float. Every
/// field is always present; the body fields are `null` in lists and filled only by
/// `GET /api/interactions/{id}` (and only when the proxy logs bodies).
package struct InteractionResource: Encodable, Sendable, Equatable {
    package var interaction: Interaction

    package init(_ interaction: Interaction) {
        self.interaction = interaction
    }

    enum CodingKeys: String, CodingKey {
        case id, sequence, method, path, provider, model, stream, status
        case startedAt = "started_at"
        case profileID = "profile_id"
        case credentialKind = "credential_kind"
        case virtualKeyID = "virtual_key_id"
        case oauthClientID = "oauth_client_id"
        case providerKeyID = "provider_key_id"
        case baselineModel = "baseline_model"
        case errorCode = "error_code"
        case durationMs = "duration_ms"
        case upstreamMs = "upstream_ms"
        case firstTokenMs = "first_token_ms"
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case cacheReadTokens = "cache_read_tokens"
        case cacheWriteTokens = "cache_write_tokens"
        case reasoningTokens = "reasoning_tokens"
        case costUSD = "cost_usd"
        case cacheCostUSD = "cache_cost_usd"
        case savingsUSD = "savings_usd"
        case blockedToolCalls = "blocked_tool_calls"
        case requestBytes = "request_bytes"
        case responseBytes = "response_bytes"
        case requestBody = "request_body"
        case requestBodyTruncated = "request_body_truncated"
        case responseBody = "response_body"
        case responseBodyTruncated = "response_body_truncated"
    }

    /// Microseconds as milliseconds with three decimals.
    package static func milliseconds(_ microseconds: Int64?) -> Double? {
        microseconds.map { Double($0) / 1_000 }
    }

    package func encode(to encoder: any Encoder) throws {
        let row = self.interaction
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeID(row.id, forKey: .id)
        try container.encode(row.sequence, forKey: .sequence)
        try container.encode(row.startedAt, forKey: .startedAt)
        try container.encode(row.profileID?.uuidString.lowercased(), forKey: .profileID)
        try container.encode(row.credentialKind.rawValue, forKey: .credentialKind)
        try container.encode(row.virtualKeyID?.uuidString.lowercased(), forKey: .virtualKeyID)
        try container.encode(row.oauthClientID?.uuidString.lowercased(), forKey: .oauthClientID)
        try container.encode(row.providerKeyID?.uuidString.lowercased(), forKey: .providerKeyID)
        try container.encode(row.provider, forKey: .provider)
        try container.encode(row.model, forKey: .model)
        try container.encode(row.baselineModel, forKey: .baselineModel)
        try container.encode(row.method, forKey: .method)
        try container.encode(row.path, forKey: .path)
        try container.encode(row.isStreaming, forKey: .stream)
        try container.encode(row.status, forKey: .status)
        try container.encode(row.errorCode, forKey: .errorCode)
        try container.encode(Self.milliseconds(row.timings.totalMicroseconds), forKey: .durationMs)
        try container.encode(Self.milliseconds(row.timings.upstreamMicroseconds), forKey: .upstreamMs)
        try container.encode(Self.milliseconds(row.timings.firstMessageMicroseconds), forKey: .firstTokenMs)
        try container.encode(row.tokens.input, forKey: .inputTokens)
        try container.encode(row.tokens.output, forKey: .outputTokens)
        try container.encode(row.tokens.cacheRead, forKey: .cacheReadTokens)
        try container.encode(row.tokens.cacheWrite, forKey: .cacheWriteTokens)
        try container.encode(row.tokens.reasoning, forKey: .reasoningTokens)
        try container.encode(row.cost.map { "\($0.total)" }, forKey: .costUSD)
        try container.encode(row.cost.map { "\($0.cache)" }, forKey: .cacheCostUSD)
        try container.encode(row.cost.map { "\($0.savings)" }, forKey: .savingsUSD)
        try container.encode(row.blockedToolCalls, forKey: .blockedToolCalls)
        try container.encode(row.requestBytes, forKey: .requestBytes)
        try container.encode(row.responseBytes, forKey: .responseBytes)
        try container.encode(row.bodies?.request, forKey: .requestBody)
        try container.encode(row.bodies?.requestTruncated ?? false, forKey: .requestBodyTruncated)
        try container.encode(row.bodies?.response, forKey: .responseBody)
        try container.encode(row.bodies?.responseTruncated ?? false, forKey: .responseBodyTruncated)
    }
}

/// A page of `GET /api/interactions`, newest first. `next_cursor` is `null` on the last page;
/// otherwise pass it back as `cursor` for the next one.
package struct InteractionPageResource: Encodable, Sendable {
    package var items: [InteractionResource]
    package var nextCursor: String?

    package init(items: [InteractionResource], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.items, forKey: .items)
        try container.encode(self.nextCursor, forKey: .nextCursor)
    }
}
