package import Foundation
package import Logging

/// The facts of one proxied request, logged as a single line when the response is complete.
///
/// Holds no credential and no body: only what an operator needs to see traffic and latency.
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
    package let start: ContinuousClock.Instant

    package init(method: String, nativePath: String, start: ContinuousClock.Instant = .now) {
        self.method = method
        self.nativePath = nativePath
        self.start = start
    }

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
        if let errorCode { metadata["error.code"] = .string(errorCode) }
        if let input = self.usage.inputTokens { metadata["usage.input_tokens"] = .stringConvertible(input) }
        if let output = self.usage.outputTokens { metadata["usage.output_tokens"] = .stringConvertible(output) }
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
