import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// `POST /v1/messages`: validates what the real API requires and answers deterministically —
/// `Echo: <last user text>` (or `Tool result: …` after `tool_result`s), a `tool_use` block per
/// tool the planner picks (several when the last user message names several tools, unless
/// `tool_choice.disable_parallel_tool_use`; `tool_choice` `{"type":"tool","name":X}` forces X, its
/// `input` valid against X's `input_schema`; streamed as `input_json_delta`s that join to it), and a thinking
/// block first when `thinking` is enabled (refused beside a forced tool, as the API does).
/// `image` blocks (base64, url, file sources) are checked, then ignored.
package struct AnthropicMessagesHandler: Sendable {
    let gate: DialectScenarioGate
    let style = AnthropicErrorStyle()

    package init(gate: DialectScenarioGate) { self.gate = gate }

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let call = try await DialectJSONRequest.read(request, context: context, style: self.style)
        let reply = try self.reply(to: call)
        let scenario = try await self.gate.admit(call.scenario, model: call.model)
        if call["stream"]?.boolValue == true {
            let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]
            return try DialectStreamWriter.response(reply.events, scenario: scenario, style: self.style, headers: headers)
        }
        return try DialectStreamWriter.json(ByteBuffer(bytes: reply.messageObject.encodedData()), scenario: scenario, headers: [:])
    }

    /// `POST /v1/messages/count_tokens`: the prompt's word count, as the deterministic rules count tokens.
    package func countTokens(_ request: Request, context: some RequestContext) async throws -> Response {
        let call = try await DialectJSONRequest.read(request, context: context, style: self.style)
        guard !call.model.isEmpty else { throw self.style.error(.badRequest, "model: Field required") }
        guard let messages = call["messages"]?.arrayValue else { throw self.style.error(.badRequest, "messages: Field required") }
        let conversation = Self.conversation(messages: messages, system: call["system"])
        let body: JSONValue = ["input_tokens": .int(conversation.promptTokens)]
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.encodedData())))
    }

    func reply(to call: DialectJSONRequest) throws(EmulatorError) -> AnthropicReply {
        guard !call.model.isEmpty else { throw self.style.error(.badRequest, "model: Field required") }
        guard let maxTokens = call["max_tokens"]?.intValue else { throw self.style.error(.badRequest, "max_tokens: Field required") }
        guard maxTokens >= 1 else { throw self.style.error(.badRequest, "max_tokens: Input should be greater than or equal to 1") }
        guard let messages = call["messages"]?.arrayValue else { throw self.style.error(.badRequest, "messages: Field required") }
        guard !messages.isEmpty else { throw self.style.error(.badRequest, "messages: at least one message is required") }
        try self.validateImages(messages)
        let conversation = Self.conversation(messages: messages, system: call["system"])
        let forcesTool = ["any", "tool"].contains(call["tool_choice"]?["type"]?.stringValue ?? "")
        if call["thinking"]?["type"]?.stringValue == "enabled", forcesTool {
            throw self.style.error(.badRequest, "Thinking may not be enabled when tool_choice forces tool use.")
        }

        var blocks: [AnthropicReply.Block] = []
        var outputTokens = 0
        if call["thinking"]?["type"]?.stringValue == "enabled" {
            let budget = call["thinking"]?["budget_tokens"]?.intValue ?? 0
            guard budget >= 1024 else { throw self.style.error(.badRequest, "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024") }
            guard maxTokens > budget else { throw self.style.error(.badRequest, "`max_tokens` must be greater than `thinking.budget_tokens`.") }
            let subject = conversation.lastMessage?.role == "tool" ? "the tool result" : "the user's message"
            let thinking = DeterministicReply.words(of: "Let me think about \(subject) and answer plainly.")
            let deltas = thinking.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }
            blocks.append(.thinking(deltas: deltas, signature: Data("archestra-mock-signature-\(call.stableID)".utf8).base64EncodedString()))
            outputTokens += thinking.count
        }

        let tools = (call["tools"]?.arrayValue ?? []).compactMap { tool -> JSONValue? in
            guard let name = tool["name"]?.stringValue else { return nil }
            return FunctionToolAdapter.openAITool(name: name, parameters: tool["input_schema"])
        }
        let choice = call["tool_choice"]
        let parallel = choice?["disable_parallel_tool_use"]?.boolValue != true
        let planned: [OpenAIPlannedToolCall]
        switch choice?["type"]?.stringValue {
        case "none": planned = []
        case "any": planned = FunctionToolAdapter.plan(tools: tools, choice: "required", conversation: conversation, parallel: parallel)
        case "tool":
            let name = choice?["name"]?.stringValue ?? ""
            guard tools.contains(where: { $0["function"]?["name"]?.stringValue == name }) else {
                throw self.style.error(.badRequest, "tool_choice: tool '\(name)' not found in 'tools'")
            }
            planned = FunctionToolAdapter.plan(tools: tools, choice: nil, forcedName: name, conversation: conversation)
        default: planned = FunctionToolAdapter.plan(tools: tools, choice: "auto", conversation: conversation, parallel: parallel)
        }

        let stopReason: String
        if !planned.isEmpty {
            // Parallel calls are consecutive `tool_use` blocks, each with its own id.
            for (index, toolCall) in planned.enumerated() {
                let fragments = toolCall.argumentFragments
                let id = "toolu_01\(call.stableID(call: index).prefix(22))"
                blocks.append(.toolUse(id: id, name: toolCall.name, input: toolCall.arguments, fragments: fragments))
                outputTokens += fragments.count
            }
            stopReason = "tool_use"
        } else {
            let text = DeterministicReply(for: conversation).truncated(to: maxTokens)
            blocks.append(.text(deltas: text.deltas))
            outputTokens += text.deltas.count
            stopReason = text.wasTruncated ? "max_tokens" : "end_turn"
        }
        return AnthropicReply(
            id: "msg_01\(call.stableID.prefix(22))",
            model: call.model,
            blocks: blocks,
            stopReason: stopReason,
            inputTokens: max(1, conversation.promptTokens),
            outputTokens: outputTokens
        )
    }

    static let imageMediaTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"]

    /// `image` blocks (in messages and inside `tool_result` content) as the API checks them: a
    /// `base64` source needs a supported `media_type` and base64 `data`, a `url` source a `url`,
    /// a `file` source a `file_id`. Accepted images are ignored by the deterministic answer.
    func validateImages(_ messages: [JSONValue]) throws(EmulatorError) {
        for (messageIndex, message) in messages.enumerated() {
            for (blockIndex, block) in (message["content"]?.arrayValue ?? []).enumerated() {
                let nested = block["type"]?.stringValue == "tool_result" ? (block["content"]?.arrayValue ?? []) : []
                for image in ([block] + nested) where image["type"]?.stringValue == "image" {
                    try self.validateImage(image["source"], at: "messages.\(messageIndex).content.\(blockIndex).image.source")
                }
            }
        }
    }

    func validateImage(_ source: JSONValue?, at path: String) throws(EmulatorError) {
        switch source?["type"]?.stringValue {
        case "base64":
            guard let mediaType = source?["media_type"]?.stringValue, Self.imageMediaTypes.contains(mediaType) else {
                throw self.style.error(.badRequest, "\(path).base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'")
            }
            guard let data = source?["data"]?.stringValue else { throw self.style.error(.badRequest, "\(path).base64.data: Field required") }
            guard Data(base64Encoded: data) != nil else { throw self.style.error(.badRequest, "\(path).base64.data: Invalid base64 data") }
        case "url":
            guard let url = source?["url"]?.stringValue, url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw self.style.error(.badRequest, "\(path).url.url: Field required")
            }
        case "file":
            guard source?["file_id"]?.stringValue != nil else { throw self.style.error(.badRequest, "\(path).file.file_id: Field required") }
        default:
            throw self.style.error(.badRequest, "\(path): Input tag '\(source?["type"]?.stringValue ?? "")' found using 'type' does not match any of the expected tags: 'base64', 'file', 'url'")
        }
    }

    /// Messages reduced to roles and text; a user turn of `tool_result` blocks counts as a tool message.
    static func conversation(messages: [JSONValue], system: JSONValue?) -> OpenAIConversation {
        var result: [OpenAIConversation.Message] = []
        if let system {
            let text = Self.text(of: system)
            if !text.isEmpty { result.append(OpenAIConversation.Message(role: "system", text: text)) }
        }
        for message in messages {
            guard let role = message["role"]?.stringValue else { continue }
            let blocks = message["content"]?.arrayValue ?? []
            let toolResults = blocks.filter { $0["type"]?.stringValue == "tool_result" }
            if role == "user", !toolResults.isEmpty {
                result.append(OpenAIConversation.Message(role: "tool", text: toolResults.map { Self.text(of: $0["content"]) }.joined(separator: " ")))
            } else {
                result.append(OpenAIConversation.Message(role: role, text: Self.text(of: message["content"])))
            }
        }
        return OpenAIConversation(messages: result)
    }

    /// A string, or the `text` of text blocks.
    static func text(of content: JSONValue?) -> String {
        if let text = content?.stringValue { return text }
        return (content?.arrayValue ?? []).compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined(separator: " ")
    }
}
