import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// `POST /model/{modelId}/converse` and `/converse-stream`.
///
/// The stream is the real service's event sequence (PROTOCOLS.md §5.3): `messageStart`, per
/// block [`contentBlockStart` for tool use] `contentBlockDelta`… `contentBlockStop`, then
/// `messageStop` and `metadata` with usage; one write per message. Scripted failures come from
/// the `x-mock-scenario` header (see `docs/bedrock.md`).
package struct BedrockConverseHandler: Sendable {
    static let maximumBodyBytes = 32 * 1024 * 1024

    package init() {}

    package func handle(_ request: Request, context: some RequestContext, streaming: Bool) async throws -> Response {
        var request = request
        guard let rawModelID = context.parameters.get("modelId") else { throw BedrockEmulatorError.invalidModel }
        let modelID = rawModelID.removingPercentEncoding ?? rawModelID
        let scenario = try Self.scenario(in: request.headers)
        let body = try await request.collectBody(upTo: Self.maximumBodyBytes)
        guard let json = try? JSONValue(parsing: Data(body.readableBytesView)) else {
            throw BedrockEmulatorError.validation("Malformed input request, please reformat your input and try again.")
        }
        let converse = try BedrockConverseRequest(body: json)
        guard !modelID.isEmpty, !modelID.contains("does-not-exist") else { throw BedrockEmulatorError.invalidModel }
        let inStream = scenario?.parameters["in-stream"] == "true"
        try Self.failIfScripted(scenario, unlessInStream: streaming && inStream)
        let reply = BedrockReply(for: converse)
        let usage = JSONValue.object([
            "inputTokens": .int(converse.inputTokens),
            "outputTokens": .int(reply.outputTokens),
            "totalTokens": .int(converse.inputTokens + reply.outputTokens),
            // Present (empty) in every real response the captures hold.
            "serverToolUsage": .object([:]),
        ])
        var headers = HTTPFields()
        headers[named: "x-amzn-RequestId"] = UUID().uuidString.lowercased()
        guard streaming else {
            headers[.contentType] = "application/json"
            let response = JSONValue.object([
                "output": .object(["message": .object(["role": "assistant", "content": .array(reply.contentJSON)])]),
                "stopReason": .string(reply.stopReason),
                "usage": usage,
                "metrics": .object(["latencyMs": .int(42)]),
            ])
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: response.encodedString())))
        }
        headers[.contentType] = "application/vnd.amazon.eventstream"
        let events = Self.events(for: reply, usage: usage)
        let delay = (try? scenario?.integer("delay-ms", default: 0)) ?? 0
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            for (index, event) in events.enumerated() {
                if delay > 0, scenario?.name == .slowStream { try await Task.sleep(for: .milliseconds(delay)) }
                // After messageStart and the first delta, a scripted failure replaces the rest.
                if index == 2, let scenario {
                    switch scenario.name {
                    case .rateLimit where inStream:
                        try await writer.write(try AWSEventStreamMessage.exception(type: "throttlingException", payload: Self.messageBody("Too many tokens, please wait before trying again.")).encoded())
                        try await writer.finish(nil)
                        return
                    case .dropMidStream:
                        try await writer.write(try AWSEventStreamMessage.exception(type: "modelStreamErrorException", payload: Self.messageBody("The model stream failed.")).encoded())
                        try await writer.finish(nil)
                        return
                    case .malformedFrame:
                        var corrupt = try event.encoded()
                        corrupt.setInteger(UInt32(0xDEAD_BEEF), at: corrupt.writerIndex - 4)
                        try await writer.write(corrupt)
                        try await writer.finish(nil)
                        return
                    default: break
                    }
                }
                try await writer.write(try event.encoded())
            }
            try await writer.finish(nil)
        })
    }

    /// The `x-mock-scenario` header, parsed; a typo is a `ValidationException`.
    static func scenario(in headers: HTTPFields) throws(BedrockEmulatorError) -> MockScenario? {
        do {
            return try headers[named: MockScenario.headerName].map { text throws(MockScenarioParseError) in try MockScenario(parsing: text) }
        } catch {
            throw BedrockEmulatorError.validation("Unknown x-mock-scenario '\(error.spec)': \(error.reason)")
        }
    }

    /// Throws the scripted error answer (`rate-limit`, `server-error`, `unavailable`); a
    /// `rate-limit` that is to arrive inside a stream is left to the stream.
    static func failIfScripted(_ scenario: MockScenario?, unlessInStream inStream: Bool = false) throws(BedrockEmulatorError) {
        switch scenario?.name {
        case .rateLimit? where !inStream: throw BedrockEmulatorError.throttling
        case .serverError?: throw BedrockEmulatorError.internalServer
        case .unavailable?: throw BedrockEmulatorError.serviceUnavailable
        default: break
        }
    }

    static func messageBody(_ message: String) -> ByteBuffer {
        ByteBuffer(string: JSONValue.object(["message": .string(message)]).encodedString())
    }

    static func event(_ type: String, _ payload: JSONValue) -> AWSEventStreamMessage {
        AWSEventStreamMessage.event(type: type, payload: ByteBuffer(string: payload.encodedString()))
    }

    static func events(for reply: BedrockReply, usage: JSONValue) -> [AWSEventStreamMessage] {
        var events = [Self.event("messageStart", .object(["role": "assistant"]))]
        for (index, block) in reply.blocks.enumerated() {
            let blockIndex = JSONValue.int(index)
            switch block {
            case .reasoning(let words, let signature):
                for delta in BedrockReply.deltas(words) {
                    events.append(Self.event("contentBlockDelta", .object(["contentBlockIndex": blockIndex, "delta": .object(["reasoningContent": .object(["text": .string(delta)])])])))
                }
                events.append(Self.event("contentBlockDelta", .object(["contentBlockIndex": blockIndex, "delta": .object(["reasoningContent": .object(["signature": .string(signature)])])])))
            case .text(let words):
                for delta in BedrockReply.deltas(words) {
                    events.append(Self.event("contentBlockDelta", .object(["contentBlockIndex": blockIndex, "delta": .object(["text": .string(delta)])])))
                }
            case .toolUse(let id, let name, let input):
                events.append(Self.event("contentBlockStart", .object(["contentBlockIndex": blockIndex, "start": .object(["toolUse": .object(["toolUseId": .string(id), "name": .string(name)])])])))
                // The input arrives as string fragments of its JSON, as the real service sends it.
                let json = input.encodedString()
                let middle = json.index(json.startIndex, offsetBy: json.count / 2)
                for fragment in [String(json[..<middle]), String(json[middle...])] where !fragment.isEmpty {
                    events.append(Self.event("contentBlockDelta", .object(["contentBlockIndex": blockIndex, "delta": .object(["toolUse": .object(["input": .string(fragment)])])])))
                }
            }
            events.append(Self.event("contentBlockStop", .object(["contentBlockIndex": blockIndex])))
        }
        events.append(Self.event("messageStop", .object(["stopReason": .string(reply.stopReason)])))
        events.append(Self.event("metadata", .object(["usage": usage, "metrics": .object(["latencyMs": .int(42)])])))
        return events
    }
}
