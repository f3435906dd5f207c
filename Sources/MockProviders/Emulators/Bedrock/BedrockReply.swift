import Foundation
import WireFormats

/// The emulator's answer, a fixed function of the request (rules in `docs/bedrock.md`):
/// after tool results, `Tool result: <texts>`; else with tools, `toolUse` blocks planned by
/// ``OpenAIToolCallPlanner`` as for `"required"` (each tool the last user message names, in
/// `tools` order — Converse has no switch against parallel calls — else the first tool; a forced
/// tool alone), inputs generated from their schemas; else `Echo: <last user text>` (or `Hello!`).
/// With reasoning enabled a `reasoningContent` block comes first. `maxTokens` cuts the words.
struct BedrockReply: Sendable {
    enum Block: Sendable {
        case reasoning(words: [String], signature: String)
        case text(words: [String])
        case toolUse(id: String, name: String, input: JSONValue)
    }

    var blocks: [Block]
    var stopReason: String
    var outputTokens: Int

    init(for request: BedrockConverseRequest) {
        var blocks: [Block] = []
        var budget = request.maxTokens ?? Int.max
        var truncated = false
        func take(_ words: [String]) -> [String] {
            let kept = Array(words.prefix(max(0, budget)))
            budget -= kept.count
            if kept.count < words.count { truncated = true }
            return kept
        }
        var output = 0
        if request.reasoningEnabled {
            let thought = take(Self.words("Thinking about: \(request.lastUserText ?? "the conversation")"))
            output += thought.count
            blocks.append(.reasoning(words: thought, signature: "mock-signature-" + String(StableHash.hex(of: Data(thought.joined(separator: " ").utf8)).prefix(16))))
        }
        var stopReason = "end_turn"
        if let result = request.toolResultText {
            let words = take(Self.words("Tool result: \(result)"))
            output += words.count
            blocks.append(.text(words: words))
        } else if !truncated, !request.tools.isEmpty {
            let tools = request.tools.map { FunctionToolAdapter.openAITool(name: $0.name, parameters: $0.inputSchema) }
            let forced = request.tools.contains { $0.name == request.forcedToolName } ? request.forcedToolName : nil
            let conversation = OpenAIConversation(messages: [.init(role: "user", text: request.lastUserText ?? "")])
            for call in FunctionToolAdapter.plan(tools: tools, choice: "required", forcedName: forced, conversation: conversation) {
                let input = (try? JSONValue(parsing: Data(call.arguments.utf8))) ?? [:]
                blocks.append(.toolUse(id: "tooluse_" + String(StableHash.hex(of: Data((call.name + (request.lastUserText ?? "")).utf8)).prefix(22)), name: call.name, input: input))
                output += max(1, Self.words(input.encodedString()).count)
            }
            stopReason = "tool_use"
        } else {
            let text = request.lastUserText.flatMap { Self.words($0).isEmpty ? nil : "Echo: \($0)" } ?? "Hello!"
            let words = take(Self.words(text))
            output += words.count
            blocks.append(.text(words: words))
        }
        self.blocks = blocks
        self.stopReason = truncated ? "max_tokens" : stopReason
        self.outputTokens = max(1, output)
    }

    static func words(_ text: String) -> [String] { text.split(whereSeparator: \.isWhitespace).map(String.init) }

    /// Word deltas that concatenate to the text: every word after the first has a leading space.
    static func deltas(_ words: [String]) -> [String] {
        words.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }
    }

    /// The Converse response's `output.message.content`.
    var contentJSON: [JSONValue] {
        self.blocks.map { block in
            switch block {
            case .reasoning(let words, let signature):
                return .object(["reasoningContent": .object(["reasoningText": .object(["text": .string(words.joined(separator: " ")), "signature": .string(signature)])])])
            case .text(let words):
                return .object(["text": .string(words.joined(separator: " "))])
            case .toolUse(let id, let name, let input):
                return .object(["toolUse": .object(["toolUseId": .string(id), "name": .string(name), "input": input])])
            }
        }
    }
}
