import Foundation
package import NIOCore
package import WireFormats

/// One dialect's tool traffic on its own wire: the tool results in a request's history, the tool
/// calls in an answer, and the answer rewritten as a refusal. Never a translated copy: what is
/// evaluated is what the client sent and what the upstream answered.
package protocol ToolTrafficFormat: Sendable {
    /// A key only a tool result carries in this format (`"tool_result"`): a body without it
    /// (and without any `\u` escape, which could spell it otherwise) has no tool results, and
    /// need not be parsed.
    var toolResultMarker: String { get }
    /// Visits every tool result of a request body in order; a non-`nil` return replaces that
    /// result's content, as text, in the body sent upstream.
    func visitToolResults(in body: inout JSONValue, _ visit: (ObservedToolResult) -> String?)
    /// The tool calls of a whole (non-streamed) answer.
    func toolCalls(inResponse body: JSONValue) -> [ObservedToolCall]
    /// The answer with its tool calls removed, the refusal appended in the dialect's own shape
    /// and the finish reason the dialect's "stop".
    func refusing(_ body: JSONValue, with refusal: ToolRefusal) -> JSONValue
    /// A fresh reader of one streamed answer; `nil` when this format's stream is not inspected.
    func makeStreamInspector() -> (any ToolStreamInspector)?
}

/// What one stream message is to the tool-call gate (``ToolCallStreamGate``).
package enum ToolStreamMessageKind: Sendable, Equatable {
    /// Text, reasoning, the stream's opening: relayed live until a tool call is being held.
    case content
    /// Part of a tool call: held.
    case toolCall
    /// Finish reason, usage, end of stream: held once a tool call is held, rewritten if blocked.
    case ending
}

/// Reads one streamed answer message by message, collecting the tool calls it carries, and
/// writes the end of a blocked stream in the dialect's own events.
package protocol ToolStreamInspector: Sendable {
    mutating func inspect(_ message: ByteBuffer) -> ToolStreamMessageKind
    /// The calls seen so far, arguments whole once their last fragment has been seen.
    var calls: [ObservedToolCall] { get }
    /// What replaces the held messages when the turn is blocked: the refusal as the dialect's
    /// text events, the held endings with their finish reason made a stop.
    func blockedEnding(refusal: ToolRefusal, held: [(message: ByteBuffer, kind: ToolStreamMessageKind)]) -> [ByteBuffer]
}

/// Picks the format of a dialect and operation.
package enum ToolTraffic {
    package static func format(for dialect: any ProviderDialect, operationPath: String) -> (any ToolTrafficFormat)? {
        switch dialect {
        case is OpenAIDialect:
            if operationPath.hasSuffix("/chat/completions") { return OpenAIChatToolTraffic() }
            // Ollama's native API beside its OpenAI-compatible one, on the Ollama route.
            if operationPath == "/api/chat" { return OllamaChatToolTraffic() }
            if operationPath.hasSuffix("/responses") { return OpenAIResponsesToolTraffic() }
            return nil
        case is AnthropicDialect:
            return operationPath == "/v1/messages" ? AnthropicToolTraffic() : nil
        case is GeminiDialect:
            let method = GeminiModelMethod(path: operationPath)?.method
            return method == "generateContent" || method == "streamGenerateContent" ? GeminiToolTraffic() : nil
        case is BedrockDialect:
            return operationPath.hasSuffix("/converse") || operationPath.hasSuffix("/converse-stream") ? BedrockToolTraffic() : nil
        case is CohereDialect:
            return operationPath == "/v2/chat" ? CohereToolTraffic() : nil
        default:
            return nil
        }
    }
}

/// Small JSON helpers the formats share.
extension JSONValue {
    /// The JSON of a stream message's `data:` line(s), `nil` for `[DONE]` or non-JSON.
    static func sseData(_ message: ByteBuffer) -> (event: SSEEvent, json: JSONValue?) {
        let event = SSEEvent(parsing: message)
        return (event, try? JSONValue(parsing: Data(event.data.utf8)))
    }

    /// Text of a tool result's content: a string as is, an array of text parts joined, anything
    /// else as compact JSON.
    static func flattenedText(_ content: JSONValue?) -> JSONValue {
        guard let content else { return .null }
        if case .string = content { return content }
        if let parts = content.arrayValue {
            let texts = parts.compactMap { $0["text"]?.stringValue }
            if texts.count == parts.count { return .string(texts.joined()) }
        }
        return content
    }

    mutating func setField(_ key: String, _ value: JSONValue?) {
        guard case .object(var object) = self else { return }
        object[key] = value
        self = .object(object)
    }

    /// Applies `change` to the array at `key` (nothing when it is not an array).
    mutating func updateArray(_ key: String, _ change: (inout [JSONValue]) -> Void) {
        guard case .object(var object) = self, case .array(var array)? = object[key] else { return }
        object[key] = nil  // keep the array uniquely referenced while it changes
        change(&array)
        object[key] = .array(array)
        self = .object(object)
    }

    mutating func updateObject(_ key: String, _ change: (inout JSONValue) -> Void) {
        guard case .object(var object) = self, var inner = object[key] else { return }
        object[key] = nil
        change(&inner)
        object[key] = inner
        self = .object(object)
    }

    var sseMessage: ByteBuffer { SSEEvent(data: self.encodedString()).byteBuffer }

    func sseMessage(event: String) -> ByteBuffer { SSEEvent(event: event, data: self.encodedString()).byteBuffer }
}
