import Foundation
import Gateway
import NIOCore
import Proxy
import WireFormats

/// The tool-call policies (docs/guardrails.md): every dialect's reader of tool results in a
/// request, of tool calls in an answer and in a stream, the condition matcher and the refusal.
enum PolicyTargets {
    /// Each format the policies read, by the dialect and operation that select it.
    static let formats: [(dialect: any ProviderDialect, operation: String, framing: Framing)] = [
        (OpenAIDialect(), "/chat/completions", .sse),
        (OpenAIDialect(), "/responses", .sse),
        (AnthropicDialect(), "/v1/messages", .sse),
        (GeminiDialect(), "/v1beta/models/m:streamGenerateContent", .sse),
        (BedrockDialect(), "/model/m/converse-stream", .eventStream),
        (CohereDialect(), "/v2/chat", .sse),
        (OpenAIDialect(), "/api/chat", .jsonLines),
    ]

    enum Framing { case sse, eventStream, jsonLines }

    static let policyID = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!
    static let epoch = Date(timeIntervalSince1970: 0)

    /// The input is a first line — four selector bytes (format, operator, invocation action,
    /// trusted-data action and the context's trust in its low bit), then a condition's key, a
    /// space and its value (a regex for the `regex` operator) — and a body read three ways: as a
    /// request (its tool results, judged by trusted-data policies, some replaced), as a whole
    /// answer (its tool calls, judged by invocation policies, refused when one is blocked), and
    /// as a stream (SSE; the event stream for Bedrock, JSON lines for Ollama) through the format's inspector.
    ///
    /// Invariants: what the readers rewrite is still JSON; a refused answer is JSON and carries
    /// no tool call any more, and names at least one blocked call — a refusal that leaves a call
    /// in would let a blocked tool run.
    static func policies(_ bytes: [UInt8]) {
        guard let (line, body) = splitFirstLine(bytes) else { return }
        let selectors = Array(line.utf8.prefix(4))
        guard selectors.count == 4 else { return }
        let (dialect, operation, framing) = self.formats[Int(selectors[0]) % self.formats.count]
        guard let format = ToolTraffic.format(for: dialect, operationPath: operation) else {
            preconditionFailure("no tool traffic format for \(type(of: dialect)) \(operation)")
        }
        let condition = line.unicodeScalars.dropFirst(4).split(separator: " ", maxSplits: 1).map { String(String.UnicodeScalarView($0)) }
        let conditions = [
            ToolPolicyCondition(
                key: condition.first ?? "a",
                operator: ToolPolicyOperator.allCases[Int(selectors[1]) % ToolPolicyOperator.allCases.count],
                value: condition.count > 1 ? condition[1] : "")
        ]
        let invocationAction = ToolPolicyKind.toolInvocation.actions[Int(selectors[2]) % ToolPolicyKind.toolInvocation.actions.count]
        let trustedDataAction = ToolPolicyKind.trustedData.actions[Int(selectors[3] >> 1) % ToolPolicyKind.trustedData.actions.count]
        let untrusted = selectors[3] & 1 == 1

        // The request: tool results, judged and sometimes replaced.
        if var request = try? JSONValue(parsing: Data(body)) {
            var results: [ObservedToolResult] = []
            format.visitToolResults(in: &request) { result in
                results.append(result)
                return results.count.isMultiple(of: 2) ? "[withheld]" : nil
            }
            precondition((try? JSONValue(parsing: request.encodedData())) != nil, "a request with replaced tool results is not JSON")
            let evaluator = ToolPolicyEvaluator(policies: self.policies(.trustedData, trustedDataAction, conditions, names: results.map(\.toolName)))
            for result in results { _ = evaluator.trust(of: result) }
        }

        // The whole answer: tool calls, judged, and the answer refused when one is blocked.
        if let answer = try? JSONValue(parsing: Data(body)) {
            let calls = format.toolCalls(inResponse: answer)
            let evaluator = ToolPolicyEvaluator(policies: self.policies(.toolInvocation, invocationAction, conditions, names: calls.map(\.name)))
            _ = evaluator.anyCallMayBeBlocked(contextIsUntrusted: untrusted)
            let enforcement = ToolPolicyEnforcement(format: format, evaluator: evaluator, contextIsUntrusted: untrusted)
            if let (refused, blocked) = enforcement.refuse(answer: ByteBuffer(bytes: body)) {
                precondition(!blocked.isEmpty, "an answer refused without a blocked call")
                guard let parsed = try? JSONValue(parsing: Data(refused.readableBytesView)) else { preconditionFailure("a refused answer is not JSON") }
                precondition(format.toolCalls(inResponse: parsed).isEmpty, "a refused answer still carries a tool call")
            }
        }

        // The stream: every message through the inspector, then the ending of a blocked turn.
        if var inspector = format.makeStreamInspector() {
            var held: [(message: ByteBuffer, kind: ToolStreamMessageKind)] = []
            for message in self.messages(body, framing: framing) {
                let kind = inspector.inspect(message)
                if kind != .content { held.append((message, kind)) }
            }
            let calls = inspector.calls
            let evaluator = ToolPolicyEvaluator(policies: self.policies(.toolInvocation, invocationAction, conditions, names: calls.map(\.name)))
            if let (call, reason) = evaluator.firstBlocked(calls, contextIsUntrusted: untrusted) {
                _ = inspector.blockedEnding(refusal: ToolRefusal(call: call, reason: reason), held: held)
            }
        }
    }

    /// One policy of `kind` for each named tool, with `conditions`, and a default policy (no
    /// conditions) for the first, so that both the specific and the fallback paths run.
    static func policies(_ kind: ToolPolicyKind, _ action: ToolPolicyAction, _ conditions: [ToolPolicyCondition], names: [String]) -> ToolPolicySet {
        var policies: [ToolPolicy] = Set(names).sorted().map {
            ToolPolicy(id: self.policyID, kind: kind, profileID: nil, toolName: $0, conditions: conditions, action: action, reason: "fuzz", createdAt: self.epoch)
        }
        if let first = names.first {
            policies.append(ToolPolicy(id: self.policyID, kind: kind, profileID: nil, toolName: first, conditions: [], action: kind.actions[0], reason: nil, createdAt: self.epoch))
        }
        return ToolPolicySet(policies: policies, profileID: self.policyID)
    }

    /// The body cut into stream messages as the relay frames them.
    static func messages(_ body: [UInt8], framing: Framing) -> [ByteBuffer] {
        var buffer = ByteBuffer(bytes: body)
        var messages: [ByteBuffer] = []
        do {
            switch framing {
            case .sse:
                var framer = SSEEventFramer()
                while let message = try framer.decodeLast(buffer: &buffer, seenEOF: true) { messages.append(message) }
            case .eventStream:
                var framer = AWSEventStreamFramer()
                while let message = try framer.decodeLast(buffer: &buffer, seenEOF: true) { messages.append(message) }
            case .jsonLines:
                var framer = JSONLinesFramer()
                while let message = try framer.decodeLast(buffer: &buffer, seenEOF: true) { messages.append(message) }
            }
        } catch {
            // A broken stream still has the messages framed before the break.
        }
        return messages
    }
}
