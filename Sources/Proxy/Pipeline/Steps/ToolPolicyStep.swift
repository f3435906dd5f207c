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
            let format = ToolTraffic.format(for: exchange.upstreamDialect, operationPath: exchange.operationPath),
            case .collected(let body) = exchange.request.body
        else { return }
        let policies = try await self.directory.lookup { try await self.directory.toolPolicies(profileID: profile.id) }
        let marked = profile.considerContextUntrusted || Self.headerMarksUntrusted(exchange.request)
        guard !policies.isEmpty || marked else { return }
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

    static func mayCarryToolResults(_ body: ByteBuffer, marker: String) -> Bool {
        let bytes = body.readableBytesView
        return bytes.firstRange(of: Array(marker.utf8)) != nil || bytes.firstRange(of: Array(#"\u"#.utf8)) != nil
    }

    static func headerMarksUntrusted(_ request: IncomingRequest) -> Bool {
        guard let name = HTTPField.Name(Self.untrustedHeader), let value = request.headers[name] else { return false }
        return value.trimmingCharacters(in: .whitespaces).lowercased() == "true"
    }
}
