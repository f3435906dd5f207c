import Foundation
import Gateway
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import WireFormats

/// Pipeline step, after the body is read: the tool policies of GATEWAY.md §4 on the request.
///
/// Trusted-data policies judge every tool result of the history: a blocked result is replaced,
/// in the body sent upstream, by ``ToolRefusal/blockedResultText(reason:)``; an untrusted or
/// blocked one makes the context untrusted, as do `X-Archestra-Context-Untrusted: true` and the
/// profile's ``Profile/considerContextUntrusted``. Then, when some tool call of the answer could
/// be blocked in that context, the exchange gets a ``ToolPolicyEnforcement`` for the relay.
///
/// A profile with no policy at all, in a context nobody marked untrusted, costs one dictionary
/// look-up: the body is not parsed and the answer is relayed untouched.
package struct ToolPolicyStep: Sendable {
    let directory: any CredentialDirectory

    package init(directory: any CredentialDirectory) {
        self.directory = directory
    }

    static let untrustedHeader = "x-archestra-context-untrusted"

    package func evaluate(_ exchange: inout ProxyExchange) async throws(ProxyError) {
        guard let profile = exchange.profile,
            exchange.request.method == .post,
            case .collected(let body) = exchange.request.body
        else { return }
        let policies = try await self.directory.lookup { try await self.directory.toolPolicies(profileID: profile.id) }
        let marked = profile.considerContextUntrusted || Self.headerMarksUntrusted(exchange.request)
        guard !policies.isEmpty || marked else { return }
        guard let format = ToolTraffic.format(for: exchange.upstreamDialect, operationPath: exchange.operationPath) else {
            // Fail closed: tool calls and results on an API no format reads (Cohere's v1 chat,
            // Bedrock's InvokeModel with a model's native body) would pass unjudged.
            guard Self.mentionsTools(body, operationPath: exchange.operationPath) else { return }
            throw ProxyError(
                code: .malformedRequestBody,
                message: "Tool policies apply to this request, and this proxy cannot read tool calls and results on \(exchange.operationPath); send tool-using requests through the provider's chat API it reads (see docs/guardrails.md).")
        }
        let evaluator = ToolPolicyEvaluator(policies: policies)
        var untrusted = marked
        var replaced = false
        // Most requests carry no tool result: a byte search spares them a parse of the body.
        if Self.mayCarryToolResults(body, marker: format.toolResultMarker) {
            // Fail closed: the summariser reads only `model` and `stream`, so a body can reach
            // here that is not JSON elsewhere (a raw control character or a bad escape in a
            // string it skipped, found by the summarisers fuzz target). Its tool results cannot
            // be judged, and a lenient upstream might still read them: refuse it.
            guard var json = try? JSONValue(parsing: Data(buffer: body)) else {
                throw .malformedJSON("it is not valid JSON (RFC 8259), so the tool policies that apply to it cannot read its tool results")
            }
            format.visitToolResults(in: &json) { result in
                switch evaluator.trust(of: result) {
                case .trusted:
                    return nil
                case .untrusted:
                    untrusted = true
                    return nil
                case .blocked(let reason):
                    untrusted = true
                    replaced = true
                    return ToolRefusal.blockedResultText(reason: reason)
                }
            }
            if replaced {
                exchange.request.body = .collected(ByteBuffer(data: json.encodedData()))
            }
        }
        guard evaluator.anyCallMayBeBlocked(contextIsUntrusted: untrusted) else { return }
        let enforcement = ToolPolicyEnforcement(format: format, evaluator: evaluator, contextIsUntrusted: untrusted)
        if exchange.summary.isStreaming, format.makeStreamInspector() == nil {
            throw ProxyError(
                code: .malformedRequestBody,
                message: "Tool policies apply to this request, and this proxy cannot yet enforce them on a streamed answer of this API; send the request without streaming.")
        }
        exchange.toolPolicy = enforcement
    }

    /// Keys that only a request using tools carries, in any provider's shape.
    static let toolKeys = [#""tools""#, #""tool_results""#, #""tool_result""#, #""tool_use""#, #""toolConfig""#, #""functionDeclarations""#, #"\u"#].map { Array($0.utf8) }

    /// Whether a body of an operation without a format may use tools: one of ``toolKeys`` (or an
    /// escape that could spell one) in a request that generates an answer. Counting tokens sends
    /// tools too, but answers with no call to judge.
    static func mentionsTools(_ body: ByteBuffer, operationPath: String) -> Bool {
        if operationPath.hasSuffix("count_tokens") || operationPath.hasSuffix(":countTokens") || operationPath.hasSuffix("/count-tokens") { return false }
        let bytes = body.readableBytesView
        return Self.toolKeys.contains { bytes.firstRange(of: $0) != nil }
    }

    static func mayCarryToolResults(_ body: ByteBuffer, marker: String) -> Bool {
        let bytes = body.readableBytesView
        return bytes.firstRange(of: Array(marker.utf8)) != nil || bytes.firstRange(of: Array(#"\u"#.utf8)) != nil
    }

    static func headerMarksUntrusted(_ request: IncomingRequest) -> Bool {
        guard let name = HTTPField.Name(Self.untrustedHeader), let value = request.headers[name] else { return false }
        return value.trimmingHTTPWhitespace().lowercased() == "true"
    }
}
