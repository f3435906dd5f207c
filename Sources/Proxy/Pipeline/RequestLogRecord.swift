package import Foundation
package import Logging

/// The facts of one proxied request, logged as a single line when the response is complete.
///
/// Holds no credential in the clear and, unless the interaction log asks for them, no body: only
/// what an operator needs to see traffic and latency.
package struct RequestLogRecord: Sendable {
    package var method: String
    package var providerID: String?
    package var profileID: UUID?
    package var nativePath: String
    package var model: String?
    package var isStreaming = false
    package var credentialSource: CredentialSource?
    /// Set when the caller authenticated with a virtual key.
    package var virtualKeyID: UUID?
    /// Set when the caller authenticated with an OAuth access token.
    package var oauthClientID: UUID?
    /// The stored provider key used upstream, if any.
    package var providerKeyID: UUID?
    package var requestBytes = 0
    package var status: Int?
    package var upstreamStatus: Int?
    package var upstreamLatency: Duration?
    package var responseBytes = 0
    package var errorCode: String?
    /// Tokens the upstream reported, read from the response as it was relayed.
    package var usage = TokenUsage()
    /// What the request cost, priced when its response ended; `nil` when the model has no price
    /// or the answer reported no usage.
    package var cost: RequestCost?
    /// The model the client asked for, when an optimisation rule sent the request to ``model``.
    package var baselineModel: String?
    /// The names of the tool calls the policies blocked in the answer, in order.
    package var blockedToolCalls: [String] = []
    /// From the request's arrival to the first message of a stream written to the client: the
    /// time to first token as the client sees it. `nil` for bodies that are not message streams.
    package var firstMessageLatency: Duration?
    /// Request and response bodies for the interaction log, only when
    /// `ARCHESTRA_INTERACTION_LOG_BODIES` is on; the log line never shows them.
    package var capturedBodies: CapturedBodies?
    /// The client's W3C `traceparent`, so a trace exported when the request ends has its parent.
    package var traceParent: String?
    /// When the request arrived: `start` on the monotonic clock for durations, this for records
    /// kept beyond the process (the interaction log, traces).
    package let startedAt: Date
    package let start: ContinuousClock.Instant

    package init(method: String, nativePath: String, start: ContinuousClock.Instant = .now, startedAt: Date = Date()) {
        self.method = method
        self.nativePath = nativePath
        self.start = start
        self.startedAt = startedAt
    }

    /// The time since the request arrived.
    package var elapsed: Duration { ContinuousClock.now - self.start }

    package var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "http.method": .string(self.method),
            "archestra.path": .string(self.nativePath),
            "archestra.stream": .stringConvertible(self.isStreaming),
            "request.bytes": .stringConvertible(self.requestBytes),
            "response.bytes": .stringConvertible(self.responseBytes),
            "archestra.duration_ms": .stringConvertible(Self.milliseconds(ContinuousClock.now - self.start)),
        ]
        if let providerID { metadata["archestra.provider"] = .string(providerID) }
        if let profileID { metadata["archestra.profile_id"] = .string(profileID.uuidString.lowercased()) }
        if let model { metadata["archestra.model"] = .string(model) }
        if let status { metadata["http.status"] = .stringConvertible(status) }
        if let upstreamStatus { metadata["upstream.status"] = .stringConvertible(upstreamStatus) }
        if let upstreamLatency { metadata["upstream.duration_ms"] = .stringConvertible(Self.milliseconds(upstreamLatency)) }
        if let firstMessageLatency { metadata["archestra.first_message_ms"] = .stringConvertible(Self.milliseconds(firstMessageLatency)) }
        if let errorCode { metadata["error.code"] = .string(errorCode) }
        if let input = self.usage.inputTokens { metadata["usage.input_tokens"] = .stringConvertible(input) }
        if let output = self.usage.outputTokens { metadata["usage.output_tokens"] = .stringConvertible(output) }
        if let cacheRead = self.usage.cacheReadTokens { metadata["usage.cache_read_tokens"] = .stringConvertible(cacheRead) }
        if let cacheWrite = self.usage.cacheWriteTokens { metadata["usage.cache_write_tokens"] = .stringConvertible(cacheWrite) }
        if let reasoning = self.usage.reasoningTokens { metadata["usage.reasoning_tokens"] = .stringConvertible(reasoning) }
        if let credentialSource { metadata["archestra.credential"] = .string(credentialSource.rawValue) }
        if let virtualKeyID { metadata["archestra.virtual_key_id"] = .string(virtualKeyID.uuidString.lowercased()) }
        if let oauthClientID { metadata["archestra.oauth_client_id"] = .string(oauthClientID.uuidString.lowercased()) }
        if let providerKeyID { metadata["archestra.provider_key_id"] = .string(providerKeyID.uuidString.lowercased()) }
        return metadata
    }

    package func emit(to logger: Logger) {
        logger.info("proxied request", metadata: self.metadata)
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return ((Double(seconds) * 1_000 + Double(attoseconds) / 1e15) * 100).rounded() / 100
    }
}
