/// OpenAI chat request → Cohere v2 chat request. Separate from the answer direction because the
/// two share nothing but the model types.
package enum CohereRequestTranslation {
    /// The Cohere body for `request`, and what Cohere will not receive.
    ///
    /// - Throws: ``TranslationError`` (400) for what Cohere cannot express at all: `n > 1`,
    ///   legacy `function` messages, a `tool` message without `tool_call_id`, a named
    ///   `tool_choice` naming no declared tool.
    package static func cohereRequest(
        for request: ChatCompletionRequest, model: String
    ) throws(TranslationError) -> (CohereChatRequest, [DroppedContent]) {
        var dropped = request.droppedUnknownFields
        if let n = request.n, n > 1 {
            throw .unsupported("n = \(n): Cohere returns one choice per request")
        }

        var messages: [CohereMessage] = []
        for (position, message) in request.messages.enumerated() {
            messages.append(try cohereMessage(message, at: position, dropped: &dropped))
        }

        var body = CohereChatRequest(model: model, messages: messages, stream: request.isStreaming)
        try applyTools(of: request, to: &body, dropped: &dropped)

        body.stopSequences = request.stop.flatMap { $0.isEmpty ? nil : $0 }
        body.temperature = request.temperature
        body.p = request.topP
        body.maxTokens = request.outputTokenLimit
        body.seed = request.seed
        body.frequencyPenalty = request.frequencyPenalty
        body.presencePenalty = request.presencePenalty

        switch request.responseFormat {
        case nil, .text?:
            break
        case .jsonObject?:
            body.responseFormat = CohereResponseFormat(type: "json_object", jsonSchema: nil)
        case .jsonSchema(let format)?:
            // Cohere's structured output is `json_object` constrained by a schema; the schema's
            // `name`/`description` have no place on the wire and only label it for OpenAI.
            body.responseFormat = CohereResponseFormat(type: "json_object", jsonSchema: format.schema)
        }

        if let effort = request.reasoningEffort {
            // Cohere's reasoning models take an on/off switch, not levels; `none` is the only
            // OpenAI level that means "don't think".
            body.thinking = CohereThinking(type: effort == "none" ? "disabled" : "enabled", tokenBudget: nil)
        }
        if request.logprobs == true {
            dropped.append(DroppedContent(kind: "logprobs", reason: "Cohere's token log-probabilities are not translated"))
        }
        if request.topLogprobs != nil {
            dropped.append(DroppedContent(kind: "top_logprobs", reason: "Cohere has no top alternatives per token"))
        }
        if request.user != nil {
            dropped.append(DroppedContent(kind: "user", reason: "Cohere has no end-user identifier"))
        }
        if request.metadata != nil {
            dropped.append(DroppedContent(kind: "metadata", reason: "Cohere has no request metadata"))
        }
        return (body, dropped)
    }

    // MARK: Messages

    private static func cohereMessage(
        _ message: ChatMessage, at position: Int, dropped: inout [DroppedContent]
    ) throws(TranslationError) -> CohereMessage {
        if message.name != nil {
            dropped.append(DroppedContent(kind: "messages[].name", reason: "Cohere messages have no participant name"))
        }
        switch message.role {
        case .system, .developer:
            // Cohere has no developer role; a system message is the same instruction channel.
            return CohereMessage(role: "system", content: textOnlyContent(message.content, role: "system", dropped: &dropped))
        case .user:
            return CohereMessage(role: "user", content: userContent(message.content, dropped: &dropped))
        case .assistant:
            return assistantMessage(message, dropped: &dropped)
        case .tool:
            guard let callID = message.toolCallId, !callID.isEmpty else {
                throw .invalidRequest(field: "messages[\(position)].tool_call_id", message: "A tool message needs the tool_call_id of the call it answers.")
            }
            let content = textOnlyContent(message.content, role: "tool", dropped: &dropped) ?? .text("")
            return CohereMessage(role: "tool", content: content, toolCallID: callID)
        case .function:
            throw .unsupported("messages[\(position)]: role \"function\" (legacy function calling) has no call id for Cohere; send tool messages")
        }
    }

    /// User content: text and images (`data:` and http(s) URLs, both accepted by Cohere).
    private static func userContent(_ content: MessageContent?, dropped: inout [DroppedContent]) -> CohereMessageContent {
        guard let content else { return .text("") }
        guard case .parts(let parts) = content else { return content.joinedText.map(CohereMessageContent.text) ?? .text("") }
        var cohereParts: [CohereContentPart] = []
        for part in parts {
            switch part {
            case .text(let text):
                cohereParts.append(.text(text))
            case .imageURL(let url, let detail):
                if ImageReference(url: url) != nil {
                    cohereParts.append(.image(url: url, detail: detail))
                } else {
                    dropped.append(DroppedContent(kind: "image_url (unsupported URL)", reason: "Cohere takes base64 data: URLs and http(s) URLs only"))
                }
            default:
                dropped.append(droppedPart(part))
            }
        }
        return .parts(cohereParts)
    }

    /// System and tool content: Cohere takes text here; anything else is reported.
    private static func textOnlyContent(_ content: MessageContent?, role: String, dropped: inout [DroppedContent]) -> CohereMessageContent? {
        guard let content else { return nil }
        if case .parts(let parts) = content {
            for part in parts {
                if case .text = part { continue }
                dropped.append(DroppedContent(kind: part.type, reason: "Cohere \(role) messages take text only"))
            }
        }
        return content.joinedText.map(CohereMessageContent.text) ?? .text("")
    }

    private static func assistantMessage(_ message: ChatMessage, dropped: inout [DroppedContent]) -> CohereMessage {
        var text: String?
        if let content = message.content {
            if case .parts(let parts) = content {
                for part in parts where part.type != "text" {
                    dropped.append(DroppedContent(kind: part.type, reason: "Cohere assistant messages take text only"))
                }
            }
            text = content.joinedText
        }
        if message.refusal != nil {
            dropped.append(DroppedContent(kind: "refusal", reason: "Cohere has no refusal field"))
        }
        let toolCalls = message.toolCalls.flatMap { calls in
            calls.isEmpty ? nil : calls.map { call in
                CohereToolCall(id: call.id, type: "function", function: .init(name: call.function.name, arguments: call.function.arguments))
            }
        }
        // Our answers surface Cohere's tool_plan as reasoning_content; a client that echoes it
        // back on the tool-calling turn gets the plan back where Cohere expects it.
        var toolPlan: String?
        if let reasoning = message.reasoningContent, !reasoning.isEmpty {
            if toolCalls != nil {
                toolPlan = reasoning
            } else {
                dropped.append(DroppedContent(kind: "reasoning_content", reason: "Cohere takes earlier reasoning only as the tool plan of a tool-calling turn"))
            }
        }
        let content: CohereMessageContent? = if let text, !text.isEmpty { .text(text) } else if toolCalls == nil { .text("") } else { nil }
        return CohereMessage(role: "assistant", content: content, toolPlan: toolPlan, toolCalls: toolCalls)
    }

    private static func droppedPart(_ part: ContentPart) -> DroppedContent {
        switch part {
        case .inputAudio: DroppedContent(kind: "input_audio", reason: "Cohere chat takes no audio")
        case .file: DroppedContent(kind: "file", reason: "Cohere chat takes no file parts")
        default: DroppedContent(kind: part.type, reason: "Cohere chat does not take this content part")
        }
    }

    // MARK: Tools

    private static func applyTools(
        of request: ChatCompletionRequest, to body: inout CohereChatRequest, dropped: inout [DroppedContent]
    ) throws(TranslationError) {
        var tools: [ChatTool] = []
        for tool in request.tools ?? [] {
            if tool.type == "function" {
                tools.append(tool)
            } else {
                dropped.append(DroppedContent(kind: "tools[].type \(tool.type)", reason: "Cohere takes function tools only"))
            }
        }

        switch request.toolChoice {
        case nil, .auto?:
            break
        case .some(.none):
            body.toolChoice = "NONE"
        case .required?:
            body.toolChoice = "REQUIRED"
        case .function(let name)?:
            // Cohere cannot force one named tool; forcing "some tool" with only that tool
            // offered has the same effect.
            guard let named = tools.first(where: { $0.function.name == name }) else {
                throw .invalidRequest(field: "tool_choice", message: "tool_choice names \"\(name)\", which is not among the request's tools.")
            }
            tools = [named]
            body.toolChoice = "REQUIRED"
            dropped.append(DroppedContent(
                kind: "tool_choice (named)",
                reason: "Cohere has no named tool choice: sent REQUIRED with only \(name) among the tools"))
        }

        if request.parallelToolCalls == false {
            dropped.append(DroppedContent(kind: "parallel_tool_calls", reason: "Cohere has no switch for parallel tool calls and may call several"))
        }
        guard !tools.isEmpty else {
            // tool_choice without tools means nothing to Cohere either.
            body.toolChoice = nil
            return
        }
        body.tools = tools.map { tool in
            CohereTool(type: "function", function: .init(
                name: tool.function.name, description: tool.function.description, parameters: tool.function.parameters))
        }
        // Cohere's `strict_tools` covers every tool: send it only when the client asked for
        // strict schemas on all of them, and say so when it asked for only some.
        let strictFlags = tools.map { $0.function.strict == true }
        if strictFlags.allSatisfy({ $0 }) {
            body.strictTools = true
        } else if strictFlags.contains(true) {
            dropped.append(DroppedContent(kind: "tools[].strict", reason: "Cohere's strict_tools applies to all tools at once; sent without it"))
        }
    }
}
