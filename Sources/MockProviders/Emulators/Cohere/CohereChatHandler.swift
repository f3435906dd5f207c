import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// `POST /v2/chat` (SSE stream of typed events, or one object) and the legacy `POST /v1/chat`
/// (JSON lines when streaming), answering by the deterministic rules.
///
/// v2 extras: tools plan calls, one per tool the last user message names (`tool_choice: REQUIRED`
/// forces at least one); `thinking:
/// {"type":"enabled"}`, or a reasoning model (``CohereModelCatalog``) without `"disabled"`, puts a
/// `thinking` content item (streamed as `thinking` deltas at index 0) before the answer;
/// `response_format: {"type":"json_object","json_schema":…}` makes the text JSON valid against the
/// schema (``StructuredReply``); `image_url` content items are shape-checked (a non-empty `url`,
/// http(s) or `data:image/…`), then ignored.
package struct CohereChatHandler: Sendable {
    let gate: DialectScenarioGate
    let style = CohereErrorStyle()

    package init(gate: DialectScenarioGate) { self.gate = gate }

    struct Plan {
        var id: String
        var toolPlan: [String] = []
        /// The calls with their ids (several when the last user message names several tools: v2
        /// has no switch against parallel calls).
        var toolCalls: [(call: OpenAIPlannedToolCall, id: String)] = []
        var thinking: [String] = []
        var deltas: [String] = []
        var finishReason: String
        var inputTokens: Int
        var outputTokens: Int

        var usage: JSONValue {
            [
                "billed_units": ["input_tokens": .int(self.inputTokens), "output_tokens": .int(self.outputTokens)],
                "tokens": ["input_tokens": .int(self.inputTokens + 64), "output_tokens": .int(self.outputTokens)],
                "cached_tokens": 0,
            ]
        }
    }

    func plan(_ call: DialectJSONRequest, conversation: OpenAIConversation, tools: [JSONValue], maxTokens: Int?) -> Plan {
        let id = Self.uuid(from: call.stableID)
        let inputTokens = max(1, conversation.promptTokens)
        let planned = FunctionToolAdapter.plan(tools: tools, choice: call["tool_choice"]?.stringValue == "REQUIRED" ? "required" : "auto", conversation: conversation)
        if !planned.isEmpty {
            let names = planned.map(\.name)
            let subject = names.count == 1 ? "the \(names[0]) tool" : "the \(names.dropLast().joined(separator: ", ")) and \(names[names.count - 1]) tools"
            let words = DeterministicReply.words(of: "I will use \(subject).")
            return Plan(
                id: id,
                toolPlan: words.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element },
                toolCalls: planned.map { ($0, "\($0.name)_\(call.stableID.prefix(12))") },
                finishReason: "TOOL_CALL",
                inputTokens: inputTokens,
                outputTokens: words.count + planned.reduce(0) { $0 + $1.argumentFragments.count }
            )
        }
        let reply = DeterministicReply(for: conversation).truncated(to: maxTokens)
        return Plan(id: id, deltas: reply.deltas, finishReason: reply.wasTruncated ? "MAX_TOKENS" : "COMPLETE", inputTokens: inputTokens, outputTokens: reply.deltas.count)
    }

    package func chatV2(_ request: Request, context: some RequestContext) async throws -> Response {
        let call = try await DialectJSONRequest.read(request, context: context, style: self.style)
        guard !call.model.isEmpty else { throw self.style.error(.badRequest, "invalid request: model must be specified") }
        guard let messages = call["messages"]?.arrayValue, !messages.isEmpty else {
            throw self.style.error(.badRequest, "invalid request: messages cannot be empty")
        }
        let conversation = Self.conversation(messages)
        let tools = (call["tools"]?.arrayValue ?? []).compactMap { tool -> JSONValue? in
            guard let name = tool["function"]?["name"]?.stringValue else { return nil }
            return FunctionToolAdapter.openAITool(name: name, parameters: tool["function"]?["parameters"])
        }
        try Self.validateImages(messages, style: self.style)
        var plan = self.plan(call, conversation: conversation, tools: tools, maxTokens: call["max_tokens"]?.intValue)
        if plan.toolCalls.isEmpty, call["response_format"]?["type"]?.stringValue == "json_object" {
            let structured = call["response_format"]?["json_schema"].map(StructuredReply.init(schema:))
                ?? StructuredReply(jsonObjectWith: plan.deltas.joined())
            plan.deltas = structured.deltas
            plan.finishReason = "COMPLETE"
            plan.outputTokens = structured.deltas.count
        }
        let thinkingType = call["thinking"]?["type"]?.stringValue
        if thinkingType == "enabled" || (thinkingType != "disabled" && CohereModelCatalog.model(named: call.model)?.reasons == true) {
            let words = DeterministicReply.words(of: "The user wants an answer; I will give it plainly.")
            plan.thinking = words.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }
            plan.outputTokens += words.count
        }
        let scenario = try await self.gate.admit(call.scenario, model: call.model)
        if call["stream"]?.boolValue == true {
            let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
            return try DialectStreamWriter.response(Self.v2Events(plan), scenario: scenario, style: self.style, headers: headers)
        }
        var message: [String: JSONValue] = ["role": "assistant"]
        if !plan.toolCalls.isEmpty {
            message["tool_plan"] = .string(plan.toolPlan.joined())
            message["tool_calls"] = .array(plan.toolCalls.map { toolCall, id in
                ["id": .string(id), "type": "function", "function": ["name": .string(toolCall.name), "arguments": .string(toolCall.arguments)]]
            })
        } else {
            message["content"] = [["type": "text", "text": .string(plan.deltas.joined())]]
        }
        if !plan.thinking.isEmpty {
            let thinking: JSONValue = ["type": "thinking", "thinking": .string(plan.thinking.joined())]
            message["content"] = .array([thinking] + (message["content"]?.arrayValue ?? []))
        }
        let body: JSONValue = ["id": .string(plan.id), "message": .object(message), "finish_reason": .string(plan.finishReason), "usage": plan.usage]
        return try DialectStreamWriter.json(ByteBuffer(bytes: body.encodedData()), scenario: scenario, headers: [:])
    }

    static func v2Events(_ plan: Plan) -> [ByteBuffer] {
        var events: [ByteBuffer] = []
        func add(_ data: JSONValue) { events.append(SSEEvent(event: data["type"]?.stringValue, data: data.encodedString()).byteBuffer) }
        add([
            "id": .string(plan.id), "type": "message-start",
            "delta": ["message": ["role": "assistant", "content": [], "tool_plan": "", "tool_calls": [], "citations": []]],
        ])
        let textIndex = JSONValue.int(plan.thinking.isEmpty ? 0 : 1)
        if !plan.thinking.isEmpty {
            add(["type": "content-start", "index": 0, "delta": ["message": ["content": ["type": "thinking", "thinking": ""]]]])
            for word in plan.thinking { add(["type": "content-delta", "index": 0, "delta": ["message": ["content": ["thinking": .string(word)]]]]) }
            add(["type": "content-end", "index": 0])
        }
        if !plan.toolCalls.isEmpty {
            for word in plan.toolPlan { add(["type": "tool-plan-delta", "delta": ["message": ["tool_plan": .string(word)]]]) }
            for (index, (toolCall, id)) in plan.toolCalls.enumerated() {
                let index = JSONValue.int(index)
                add([
                    "type": "tool-call-start", "index": index,
                    "delta": ["message": ["tool_calls": ["id": .string(id), "type": "function", "function": ["name": .string(toolCall.name), "arguments": ""]]]],
                ])
                for fragment in toolCall.argumentFragments {
                    add(["type": "tool-call-delta", "index": index, "delta": ["message": ["tool_calls": ["function": ["arguments": .string(fragment)]]]]])
                }
                add(["type": "tool-call-end", "index": index])
            }
        } else {
            add(["type": "content-start", "index": textIndex, "delta": ["message": ["content": ["type": "text", "text": ""]]]])
            for word in plan.deltas { add(["type": "content-delta", "index": textIndex, "delta": ["message": ["content": ["text": .string(word)]]]]) }
            add(["type": "content-end", "index": textIndex])
        }
        add(["type": "message-end", "delta": ["finish_reason": .string(plan.finishReason), "usage": plan.usage]])
        events.append(SSEEvent(data: "[DONE]").byteBuffer)
        return events
    }

    /// `POST /v1/chat`: `message` and `chat_history`; streams are JSON lines.
    package func chatV1(_ request: Request, context: some RequestContext) async throws -> Response {
        let call = try await DialectJSONRequest.read(request, context: context, style: self.style)
        guard let message = call["message"]?.stringValue else { throw self.style.error(.badRequest, "invalid request: message must be a string") }
        var history = (call["chat_history"]?.arrayValue ?? []).compactMap { entry -> OpenAIConversation.Message? in
            guard let role = entry["role"]?.stringValue, let text = entry["message"]?.stringValue else { return nil }
            return OpenAIConversation.Message(role: role == "CHATBOT" ? "assistant" : "user", text: text)
        }
        history.append(OpenAIConversation.Message(role: "user", text: message))
        let conversation = OpenAIConversation(messages: history)
        let plan = self.plan(call, conversation: conversation, tools: [], maxTokens: call["max_tokens"]?.intValue)
        let scenario = try await self.gate.admit(call.scenario, model: call.model)
        let text = plan.deltas.joined()
        let meta: JSONValue = [
            "api_version": ["version": "1"],
            "billed_units": ["input_tokens": .int(plan.inputTokens), "output_tokens": .int(plan.outputTokens)],
            "tokens": ["input_tokens": .int(plan.inputTokens + 64), "output_tokens": .int(plan.outputTokens)],
        ]
        let chatHistory: JSONValue = .array(history.map { ["role": $0.role == "assistant" ? "CHATBOT" : "USER", "message": .string($0.text)] } + [["role": "CHATBOT", "message": .string(text)]])
        let response: JSONValue = [
            "response_id": .string(plan.id), "text": .string(text), "generation_id": .string(Self.uuid(from: String(call.stableID.reversed()))),
            "chat_history": chatHistory, "finish_reason": .string(plan.finishReason), "meta": meta,
        ]
        guard call["stream"]?.boolValue == true else {
            return try DialectStreamWriter.json(ByteBuffer(bytes: response.encodedData()), scenario: scenario, headers: [:])
        }
        var lines: [JSONValue] = [["is_finished": false, "event_type": "stream-start", "generation_id": response["generation_id"] ?? nil]]
        for word in plan.deltas { lines.append(["is_finished": false, "event_type": "text-generation", "text": .string(word)]) }
        lines.append(["is_finished": true, "event_type": "stream-end", "response": response, "finish_reason": .string(plan.finishReason)])
        let frames = lines.map { ByteBuffer(string: $0.encodedString() + "\n") }
        return try DialectStreamWriter.response(frames, scenario: scenario, style: self.style, headers: [.contentType: "application/stream+json"])
    }

    /// v2 messages: string content or text parts; a `tool` message is a tool result.
    static func conversation(_ messages: [JSONValue]) -> OpenAIConversation {
        OpenAIConversation(messages: messages.compactMap { message in
            guard let role = message["role"]?.stringValue else { return nil }
            let content = message["content"]
            let text = content?.stringValue ?? (content?.arrayValue ?? []).compactMap { $0["text"]?.stringValue ?? $0["document"]?["data"]?.stringValue }.joined(separator: " ")
            return OpenAIConversation.Message(role: role, text: text)
        })
    }

    /// `image_url` items need `image_url.url` (or `image_url` as the URL itself): http(s) or a
    /// `data:image/…` URI, as Cohere refuses anything else with a 400.
    static func validateImages(_ messages: [JSONValue], style: CohereErrorStyle) throws(EmulatorError) {
        for (messageIndex, message) in messages.enumerated() {
            for item in message["content"]?.arrayValue ?? [] where item["type"]?.stringValue == "image_url" {
                let url = item["image_url"]?["url"]?.stringValue ?? item["image_url"]?.stringValue ?? ""
                guard url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("data:image/") else {
                    throw style.error(.badRequest, "invalid request: messages[\(messageIndex)]: image_url.url must be an http(s) URL or a data:image/ URI.")
                }
            }
        }
    }

    /// A UUID-shaped id from the stable hash, as Cohere's ids are UUIDs.
    static func uuid(from hex: String) -> String {
        let digits = Array((hex + hex + hex).filter(\.isHexDigit).prefix(32))
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(digits[$0]) }
        return groups.joined(separator: "-")
    }
}
