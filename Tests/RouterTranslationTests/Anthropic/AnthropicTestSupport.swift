import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

/// Shared by the Anthropic tests: fixed identities, request building, SSE splitting.
enum AnthropicTestSupport {
    static let identity = CompletionIdentity(id: "chatcmpl-test", created: 1_700_000_000)
    static let translator = AnthropicChatTranslator(identities: .fixed(id: identity.id, created: identity.created))

    static func request(_ json: String) throws -> ChatCompletionRequest {
        try JSONDecoder().decode(ChatCompletionRequest.self, from: Data(json.utf8))
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func json(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// The translated upstream body as JSON, for structural comparison.
    static func upstreamBody(_ requestJSON: String, model: String = "claude-sonnet-4-5") throws -> (body: JSONValue, translated: TranslatedRequest) {
        let translated = try translator.upstreamRequest(for: try request(requestJSON), model: model)
        return (try json(translated.body), translated)
    }

    /// Splits an SSE body at blank lines into messages (`event:` name, `data:` lines joined);
    /// a body with no `event:`/`data:` prefixes is read as one JSON payload per line.
    static func messages(ofSSE body: String) -> [UpstreamStreamMessage] {
        let lines = body.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        guard lines.contains(where: { $0.hasPrefix("data:") }) else {
            return lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { UpstreamStreamMessage(event: nil, json: $0) }
        }
        var messages: [UpstreamStreamMessage] = []
        var event: String?
        var data: [String] = []
        func flush() {
            if !data.isEmpty { messages.append(UpstreamStreamMessage(event: event, json: data.joined(separator: "\n"))) }
            event = nil
            data = []
        }
        for line in lines {
            if line.isEmpty {
                flush()
            } else if line.hasPrefix("event:") {
                event = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("data:") {
                data.append(String(line.dropFirst(5)).trimmingCharacters(in: .init(charactersIn: " ")))
            }
        }
        flush()
        return messages
    }

    /// Feeds every message, then finish; returns the chunks per message (last element: finish).
    static func translateStream(_ messages: [UpstreamStreamMessage], request: ChatCompletionRequest) throws -> [[ChatCompletionChunk]] {
        var stream = translator.makeStreamTranslator(for: request)
        var perMessage: [[ChatCompletionChunk]] = []
        for message in messages {
            perMessage.append(try stream.translate(message))
        }
        perMessage.append(try stream.finish())
        return perMessage
    }

    static func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try TranslationJSON.encode(value), as: UTF8.self)
    }
}

extension [ChatCompletionChunk] {
    var contentText: String { compactMap { $0.choices.first?.delta.content }.joined() }
    var reasoningText: String { compactMap { $0.choices.first?.delta.reasoningContent }.joined() }
    var finishReasons: [FinishReason] { compactMap { $0.choices.first?.finishReason } }
    /// Accumulated tool calls by index, as the OpenAI SDK's stream accumulator builds them.
    var accumulatedToolCalls: [Int: (id: String?, name: String?, arguments: String)] {
        var calls: [Int: (id: String?, name: String?, arguments: String)] = [:]
        for chunk in self {
            for delta in chunk.choices.first?.delta.toolCalls ?? [] {
                var call = calls[delta.index] ?? (nil, nil, "")
                call.id = call.id ?? delta.id
                call.name = call.name ?? delta.function?.name
                call.arguments += delta.function?.arguments ?? ""
                calls[delta.index] = call
            }
        }
        return calls
    }
}
