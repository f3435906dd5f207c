import Foundation
package import NIOCore
import NIOFoundationCompat
import WireFormats

/// OpenAI's wire format, shared by every OpenAI-compatible provider.
package struct OpenAIDialect: ProviderDialect {
    package init() {}

    package func errorBody(for error: ProxyError) -> ByteBuffer {
        if error.code == .usageLimitExceeded, case .object(var envelope) = self.openAIError(for: error).json, case .object(var fields)? = envelope["error"] {
            // GATEWAY.md §5's body: OpenAI's envelope plus `usage_limit`.
            fields["usage_limit"] = ["limit_type": "token_cost", "entity_type": .string(error.limitEntityType ?? "organization")]
            envelope["error"] = .object(fields)
            return ByteBuffer(data: JSONValue.object(envelope).encodedData())
        }
        return ByteBuffer(data: self.openAIError(for: error).data)
    }

    package func streamErrorMessage(for error: ProxyError, framing: StreamFraming) -> ByteBuffer? {
        switch framing {
        case .serverSentEvents:
            return self.openAIError(for: error).streamEvent.byteBuffer
        case .jsonLines:
            // Ollama's native stream reports failures as a line with a string `error`.
            var line = JSONValue.object(["error": .string(error.message)]).encodedString()
            line += "\n"
            return ByteBuffer(string: line)
        case .awsEventStream:
            return nil  // OpenAI clients never receive AWS event streams
        }
    }

    /// The endpoints whose bodies the proxy inspects; uploads (`/files`, `/audio/*`) are multipart
    /// and pass through untouched.
    private static let jsonEndpoints = Set(["/chat/completions", "/responses", "/embeddings", "/completions"]).union(Self.ollamaNativeEndpoints.keys)

    /// Ollama's native API beside its OpenAI-compatible one (the Ollama route serves both), and
    /// whether each streams when the body does not say: `/api/chat` and `/api/generate` do.
    private static let ollamaNativeEndpoints: [String: Bool] = ["/api/chat": true, "/api/generate": true, "/api/embed": false, "/api/embeddings": false]

    package func requiresJSONBody(nativePath: String) -> Bool {
        Self.jsonEndpoints.contains(Self.deploymentOperation(nativePath) ?? nativePath)
    }

    /// Ollama's server reads its native bodies as JSON whatever their content type, and its own
    /// documentation's `curl -d` examples send `application/x-www-form-urlencoded`: the proxy
    /// accepts what Ollama accepts there.
    package func requiresJSONContentType(nativePath: String) -> Bool {
        Self.ollamaNativeEndpoints[nativePath] == nil
    }

    /// Azure's deployment, not the body's `model`, chooses the model there.
    package func modelIsInPath(nativePath: String) -> Bool {
        Self.deploymentOperation(nativePath) != nil
    }

    /// Azure's `/deployments/<name>/<operation>` carries the same bodies as `/<operation>`.
    private static func deploymentOperation(_ path: String) -> String? {
        guard path.hasPrefix("/deployments/") else { return nil }
        let afterPrefix = path.dropFirst("/deployments/".count)
        guard let slash = afterPrefix.firstIndex(of: "/") else { return nil }
        return String(afterPrefix[slash...])
    }

    /// JSONDecoder parses the whole document, so a syntax error anywhere is caught here, not by
    /// the upstream after a round trip.
    package func summarize(requestBody: ByteBuffer, nativePath: String) throws(ProxyError) -> RequestSummary {
        let fields = try JSONRequestFields.read(from: requestBody)
        return RequestSummary(model: fields.model, isStreaming: fields.stream ?? Self.ollamaNativeEndpoints[nativePath] ?? false)
    }

    func openAIError(for error: ProxyError) -> OpenAIErrorBody {
        let type: String
        switch error.code {
        case .missingCredential, .invalidCredential, .clientAuthenticationRequired: type = "authentication_error"
        case .forbidden: type = "permission_error"
        case .noProviderKey, .unknownProfile: type = "invalid_request_error"
        case .tooManyFailedAttempts: type = "rate_limit_error"
        case .malformedJSON, .malformedRequestBody, .unsupportedMediaType, .bodyTooLarge, .unknownRoute, .unknownModel, .headerFieldsTooLarge, .uriTooLong, .invalidPath:
            type = "invalid_request_error"
        case .providerNotConfigured, .upstreamUnreachable, .upstreamTimeout, .upstreamStreamFailed: type = "upstream_error"
        case .overloaded, .gatewayUnavailable, .shuttingDown: type = "server_error"
        case .internalFailure: type = "server_error"
        case .usageLimitExceeded: type = "usage_limit_exceeded"
        }
        return OpenAIErrorBody(message: error.message, type: type, param: nil, code: error.code.rawValue)
    }
}
