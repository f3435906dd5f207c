import Foundation
package import NIOCore
import NIOFoundationCompat
import WireFormats

/// The tool policies in force for one request's answer, decided by ``ToolPolicyStep`` before
/// the upstream call: present only when some tool call of the answer could be blocked.
package struct ToolPolicyEnforcement: Sendable {
    let format: any ToolTrafficFormat
    let evaluator: ToolPolicyEvaluator
    let contextIsUntrusted: Bool

    package init(format: any ToolTrafficFormat, evaluator: ToolPolicyEvaluator, contextIsUntrusted: Bool) {
        self.format = format
        self.evaluator = evaluator
        self.contextIsUntrusted = contextIsUntrusted
    }

    /// The gate for a streamed answer, `nil` when this format's stream is not inspected.
    func streamFilter() -> (any StreamMessageFilter)? {
        guard let inspector = self.format.makeStreamInspector() else { return nil }
        return ToolCallStreamGate(inspector: inspector, evaluator: self.evaluator, contextIsUntrusted: self.contextIsUntrusted)
    }

    /// A whole answer refused when one of its calls is blocked: the new body and the blocked
    /// calls' names; `nil` when the answer stands (no call blocked, or not JSON).
    package func refuse(answer body: ByteBuffer) -> (body: ByteBuffer, blocked: [String])? {
        guard let json = try? JSONValue(parsing: Data(buffer: body)) else { return nil }
        let calls = self.format.toolCalls(inResponse: json)
        guard let (call, reason) = self.evaluator.firstBlocked(calls, contextIsUntrusted: self.contextIsUntrusted) else { return nil }
        let refused = self.format.refusing(json, with: ToolRefusal(call: call, reason: reason))
        return (ByteBuffer(data: refused.encodedData()), self.evaluator.blockedNames(calls, contextIsUntrusted: self.contextIsUntrusted))
    }
}
