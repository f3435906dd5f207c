import Foundation
import HTTPTypes
import HTTPTypes
package import NIOCore
import NIOFoundationCompat
import WireFormats

/// Bedrock Runtime's wire format (rest-json, `application/vnd.amazon.eventstream` streams).
///
/// Errors the proxy makes itself are in AWS's shape: `{"message": …}` with the error code in
/// `x-amzn-ErrorType`, which botocore reads first. In a stream that has started, an error is an
/// `exception` message botocore raises as `EventStreamError`.
package struct BedrockDialect: ProviderDialect {
    package init() {}

    package func errorBody(for error: ProxyError) -> ByteBuffer {
        ByteBuffer(string: JSONValue.object(["message": .string(error.message)]).encodedString())
    }

    package func errorResponse(for error: ProxyError) -> ProxyResponse {
        var headers = HTTPFields()
        headers[named: "x-amzn-ErrorType"] = Self.errorType(for: error)
        return ProxyResponse(error: error, body: self.errorBody(for: error), headers: headers)
    }

    package func streamErrorMessage(for error: ProxyError, framing: StreamFraming) -> ByteBuffer? {
        guard framing == .awsEventStream else { return nil }
        let exception = AWSEventStreamMessage.exception(type: "internalServerException", payload: self.errorBody(for: error))
        return try? exception.encoded()
    }

    package func requiresJSONBody(nativePath: String) -> Bool {
        nativePath.hasSuffix("/converse") || nativePath.hasSuffix("/converse-stream")
    }

    /// The short `/converse` shape's `modelId` moves into the URL too (``upstreamBody(_:nativePath:)``).
    package func modelIsInPath(nativePath: String) -> Bool { true }

    package func summarize(requestBody: ByteBuffer, nativePath: String) throws(ProxyError) -> RequestSummary {
        try JSONRequestFields.requireUTF8(requestBody)
        let body: JSONValue
        do {
            body = try JSONValue(parsing: Data(buffer: requestBody))
        } catch {
            throw .malformedJSON("the body is not valid JSON")
        }
        guard body.objectValue != nil else { throw .malformedJSON("the body must be a JSON object") }
        let isStreaming = nativePath.hasSuffix("/converse-stream")
        if let modelID = BedrockURLResolver.modelID(inPath: nativePath) {
            return RequestSummary(model: modelID, isStreaming: isStreaming)
        }
        guard let modelID = body["modelId"]?.stringValue, !modelID.isEmpty else {
            throw .malformedJSON("field 'modelId' is missing (POST /converse carries the model id in the body)")
        }
        return RequestSummary(model: modelID, isStreaming: isStreaming)
    }

    /// The short shape's `modelId` went into the URL; the Converse body itself has no such member.
    /// Only that shape is re-encoded (member order may change, values do not); boto3's shape is
    /// forwarded byte for byte.
    package func upstreamBody(_ body: ByteBuffer, nativePath: String) -> ByteBuffer {
        guard nativePath == "/converse" || nativePath == "/converse-stream",
            case .object(var members)? = try? JSONValue(parsing: Data(body.readableBytesView)), members["modelId"] != nil
        else { return body }
        members["modelId"] = nil
        return ByteBuffer(data: JSONValue.object(members).encodedData())
    }

    /// The `metadata` event carries the stream's usage; other events are skipped after reading
    /// their `:event-type` header.
    package func usage(inStreamMessage message: ByteBuffer) -> TokenUsage? {
        guard AWSEventStreamMessage.stringHeader(":event-type", of: message) == "metadata",
            let decoded = try? AWSEventStreamMessage(decoding: message)
        else { return nil }
        return Self.usage(in: decoded.payload)
    }

    package func usage(inResponseBody body: ByteBuffer) -> TokenUsage? {
        Self.usage(in: body)
    }

    /// Converse's `inputTokens` excludes the prompt cache (`totalTokens` is the sum of all four),
    /// so cache reads and writes are added to the input, and kept apart as well.
    static func usage(in json: ByteBuffer) -> TokenUsage? {
        guard let value = try? JSONValue(parsing: Data(json.readableBytesView)), let usage = value["usage"],
            let input = usage["inputTokens"]?.intValue, let output = usage["outputTokens"]?.intValue
        else { return nil }
        let cacheRead = usage["cacheReadInputTokens"]?.intValue
        let cacheWrite = usage["cacheWriteInputTokens"]?.intValue
        return TokenUsage(
            inputTokens: input + (cacheRead ?? 0) + (cacheWrite ?? 0),
            outputTokens: output,
            cacheReadTokens: cacheRead,
            cacheWriteTokens: cacheWrite
        )
    }

    /// The AWS error code botocore turns into `Error.Code`.
    static func errorType(for error: ProxyError) -> String {
        switch error.code {
        case .malformedJSON, .malformedRequestBody, .unsupportedMediaType, .bodyTooLarge, .headerFieldsTooLarge, .uriTooLong, .invalidPath:
            return "ValidationException"
        case .missingCredential, .invalidCredential, .clientAuthenticationRequired: return "UnrecognizedClientException"
        case .forbidden: return "AccessDeniedException"
        case .noProviderKey: return "ValidationException"
        case .unknownProfile, .unknownModel: return "ResourceNotFoundException"
        case .tooManyFailedAttempts: return "ThrottlingException"
        case .unknownRoute: return "UnknownOperationException"
        case .providerNotConfigured, .upstreamUnreachable, .overloaded, .gatewayUnavailable, .shuttingDown: return "ServiceUnavailableException"
        case .upstreamTimeout: return "ModelTimeoutException"
        case .upstreamStreamFailed, .internalFailure: return "InternalServerException"
        case .usageLimitExceeded: return "ServiceQuotaExceededException"
        }
    }
}

extension HTTPFields {
    fileprivate subscript(named name: String) -> String? {
        get { HTTPField.Name(name).flatMap { self[$0] } }
        set { if let field = HTTPField.Name(name) { self[field] = newValue } }
    }
}
