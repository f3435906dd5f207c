import Foundation
import WireFormats

/// OpenAI chat request → Anthropic Messages request, collecting what could not be sent.
struct AnthropicRequestTranslator {
    let request: ChatCompletionRequest
    let model: String
    let capabilities: AnthropicModelCapabilities
    private(set) var dropped: [DroppedContent] = []

    init(request: ChatCompletionRequest, model: String) {
        self.request = request
        self.model = model
        self.capabilities = AnthropicModelCapabilities(model: model)
    }

    /// Anthropic accepts only these image types; anything else is dropped, not sent to fail.
    static let imageMediaTypes: Set<String> = ["image/jpeg", "image/png", "image/gif", "image/webp"]

    private mutating func drop(_ kind: String, _ reason: String) {
        dropped.append(DroppedContent(kind: kind, reason: reason))
    }

    mutating func translate() throws(TranslationError) -> AnthropicMessagesRequest {
        if let n = request.n, n > 1 {
            // Returning one choice to a client that asked for several would be silently wrong.
            throw .unsupported("n > 1 (Anthropic returns one answer per request)")
        }
        let (system, messages) = try translateMessages()
        guard !messages.isEmpty else {
            throw .invalidRequest(field: "messages", message: "Anthropic needs at least one user or assistant message besides system messages")
        }
        let structured = AnthropicStructuredOutput(request: request)
        var tools = translateTools()
        if let structured {
            if tools.contains(where: { $0.name == structured.toolName }) {
                throw .invalidRequest(field: "response_format.json_schema.name", message: "The schema name \"\(structured.toolName)\" is also a tool name; Anthropic receives the schema as a tool, so the names must differ")
            }
            tools.append(AnthropicTool(name: structured.toolName, description: structured.description, inputSchema: structured.inputSchema))
        }
        var toolChoice = translateToolChoice(structured: structured)

        var body = AnthropicMessagesRequest(
            model: model,
            maxTokens: request.outputTokenLimit ?? capabilities.defaultMaxTokens,
            system: system,
            messages: messages,
            tools: tools.isEmpty ? nil : tools,
            toolChoice: nil,
            stopSequences: translateStop(),
            temperature: translateTemperature(),
            topP: request.topP,
            topK: nil,
            stream: request.isStreaming ? true : nil,
            metadata: request.user.map { AnthropicMessagesRequest.Metadata(userId: $0) },
            thinking: nil
        )
        if body.temperature != nil, body.topP != nil, capabilities.rejectsTemperatureWithTopP {
            body.topP = nil
            drop("top_p", "\(model) refuses temperature and top_p together; temperature was kept")
        }
        applyThinking(to: &body, toolChoice: &toolChoice, messages: messages)
        body.toolChoice = tools.isEmpty ? nil : toolChoice
        if tools.isEmpty {
            declareHistoryTools(in: &body)
        }
        applyRemainingFields(to: &body)
        return body
    }

    // MARK: Messages

    private mutating func translateMessages() throws(TranslationError) -> (AnthropicSystemPrompt?, [AnthropicMessage]) {
        var systemTexts: [String] = []
        var messages: [AnthropicMessage] = []

        /// Appends blocks as a turn of `role`, merged into the previous turn when it has the same
        /// role: consecutive tool results must reach Anthropic as one user message, right after
        /// the assistant's `tool_use` turn, and a user message that follows them joins it.
        func append(_ role: AnthropicMessage.Role, _ blocks: [AnthropicContentBlock]) {
            guard !blocks.isEmpty else { return }
            if let last = messages.last, last.role == role {
                messages[messages.count - 1].content += blocks
            } else {
                messages.append(AnthropicMessage(role: role, content: blocks))
            }
        }

        for (index, message) in request.messages.enumerated() {
            let path = "messages[\(index)]"
            switch message.role {
            case .system, .developer:
                // Anthropic has one top-level system prompt; system and developer messages,
                // wherever they stand, are joined into it in order.
                for part in message.content?.parts ?? [] {
                    if case .text(let text) = part {
                        if !text.isEmpty { systemTexts.append(text) }
                    } else {
                        drop("\(part.type) in \(message.role.rawValue) message", "Anthropic's system prompt takes text only")
                    }
                }
            case .user:
                append(.user, translateUserParts(message.content?.parts ?? [], path: path))
            case .assistant:
                append(.assistant, try translateAssistant(message, path: path))
            case .tool:
                guard let callId = message.toolCallId, !callId.isEmpty else {
                    throw .invalidRequest(field: "\(path).tool_call_id", message: "A tool message needs the tool_call_id it answers")
                }
                let content = translateToolResultParts(message.content?.parts ?? [], path: path)
                append(.user, [.toolResult(toolUseId: callId, content: content, isError: nil)])
            case .function:
                drop("function message", "legacy function-calling messages carry no call id Anthropic could match; use tool messages")
            }
        }
        let system: AnthropicSystemPrompt? =
            switch systemTexts.count {
            case 0: nil
            case 1: .text(systemTexts[0])
            default: .blocks(systemTexts)
            }
        return (system, messages)
    }

    private mutating func translateUserParts(_ parts: [ContentPart], path: String) -> [AnthropicContentBlock] {
        parts.compactMap { part in translateMediaPart(part, path: path) }
    }

    /// Tool results take text and images only (Anthropic's `tool_result.content`).
    private mutating func translateToolResultParts(_ parts: [ContentPart], path: String) -> [AnthropicContentBlock] {
        parts.compactMap { part -> AnthropicContentBlock? in
            guard let block = translateMediaPart(part, path: path) else { return nil }
            if case .document = block {
                drop("file in tool message", "Anthropic tool results take text and images only")
                return nil
            }
            return block
        }
    }

    /// Text, image and file parts → blocks; audio and unknown parts are dropped and reported.
    private mutating func translateMediaPart(_ part: ContentPart, path: String) -> AnthropicContentBlock? {
        switch part {
        case .text(let text), .refusal(let text):
            // Anthropic rejects empty text blocks.
            return text.isEmpty ? nil : .text(text)
        case .imageURL(let url, _):
            switch ImageReference(url: url) {
            case .base64(let mediaType, let data)?:
                guard Self.imageMediaTypes.contains(mediaType) else {
                    drop("image_url (\(mediaType))", "Anthropic takes JPEG, PNG, GIF and WebP images")
                    return nil
                }
                return .image(.base64(mediaType: mediaType, data: data))
            case .remote(let url)?:
                return .image(.url(url))
            case nil:
                drop("image_url (unsupported URL)", "only data: base64 and http(s) image URLs can be sent")
                return nil
            }
        case .inputAudio:
            drop("audio", "Anthropic Messages takes no audio input")
            return nil
        case .file(let fileId, let fileData, let filename):
            if let fileData, case .base64(let mediaType, let data)? = ImageReference(url: fileData) {
                if mediaType == "application/pdf" {
                    return .document(.base64(mediaType: mediaType, data: data), title: filename)
                }
                if mediaType == "text/plain", let decoded = Data(base64Encoded: data), let text = String(data: decoded, encoding: .utf8) {
                    return .document(.text(text), title: filename)
                }
                drop("file (\(mediaType))", "Anthropic documents are PDF or plain text")
                return nil
            }
            if fileId != nil {
                drop("file (file_id)", "OpenAI file ids mean nothing to Anthropic; send file_data")
            } else {
                drop("file", "file_data must be a base64 data: URL")
            }
            return nil
        case .other(let type, _):
            drop(type, "content part type not supported by Anthropic")
            return nil
        }
    }

    private mutating func translateAssistant(_ message: ChatMessage, path: String) throws(TranslationError) -> [AnthropicContentBlock] {
        var blocks: [AnthropicContentBlock] = []
        for part in message.content?.parts ?? [] {
            switch part {
            case .text(let text), .refusal(let text):
                if !text.isEmpty { blocks.append(.text(text)) }
            default:
                drop("\(part.type) in assistant message", "Anthropic assistant turns take text and tool calls")
            }
        }
        if message.reasoningContent != nil {
            // Anthropic only accepts thinking blocks it signed; OpenAI messages carry no signature.
            drop("reasoning_content", "Anthropic accepts prior thinking only with its signature")
        }
        for (callIndex, call) in (message.toolCalls ?? []).enumerated() {
            let field = "\(path).tool_calls[\(callIndex)].function.arguments"
            let input = try TranslationJSON.parseEmbedded(call.function.arguments, field: field)
            guard case .object = input else {
                throw .invalidRequest(field: field, message: "Tool call arguments must be a JSON object for Anthropic")
            }
            blocks.append(.toolUse(id: call.id, name: call.function.name, input: input))
        }
        return blocks
    }

    // MARK: Tools

    private mutating func translateTools() -> [AnthropicTool] {
        (request.tools ?? []).map { tool in
            if tool.function.strict == true {
                // Anthropic's `strict` needs a beta header and rejects the field without it.
                drop("tools[].function.strict", "Anthropic validates tool input without OpenAI's strict mode")
            }
            return AnthropicTool(
                name: tool.function.name,
                description: tool.function.description,
                inputSchema: AnthropicToolSchema.inputSchema(from: tool.function.parameters)
            )
        }
    }

    /// required→any, none→none, named→tool, auto (or absent)→auto; `parallel_tool_calls: false`
    /// → `disable_parallel_tool_use`. A JSON response format forces its tool, unless the client
    /// has tools of its own the model may still call: then "any" (some tool, possibly the answer).
    private mutating func translateToolChoice(structured: AnthropicStructuredOutput?) -> AnthropicToolChoice {
        let clientTools = !(request.tools ?? []).isEmpty
        var choice: AnthropicToolChoice
        switch request.toolChoice {
        case .none?:
            choice = structured.map { AnthropicToolChoice(type: .tool, name: $0.toolName) } ?? AnthropicToolChoice(type: .none)
        case .required?:
            choice = AnthropicToolChoice(type: .any)
        case .function(let name)?:
            choice = AnthropicToolChoice(type: .tool, name: name)
        case .auto?, nil:
            if let structured {
                choice = clientTools ? AnthropicToolChoice(type: .any) : AnthropicToolChoice(type: .tool, name: structured.toolName)
            } else {
                choice = AnthropicToolChoice(type: .auto)
            }
        }
        if request.toolChoice != nil, !clientTools, structured == nil {
            drop("tool_choice", "no tools were given")
        }
        if request.parallelToolCalls == false, choice.type != .none {
            choice.disableParallelToolUse = true
        }
        return choice
    }

    // MARK: Sampling and limits

    private mutating func translateStop() -> [String]? {
        guard let stop = request.stop, !stop.isEmpty else { return nil }
        // Anthropic refuses whitespace-only stop sequences (OpenAI clients often send "\n").
        let kept = stop.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if kept.count < stop.count {
            drop("stop (whitespace-only)", "Anthropic refuses stop sequences made only of whitespace")
        }
        return kept.isEmpty ? nil : kept
    }

    /// OpenAI's range is 0…2, Anthropic's 0…1: higher values are clamped (and reported).
    private mutating func translateTemperature() -> Double? {
        guard let temperature = request.temperature else { return nil }
        if temperature > 1 {
            drop("temperature (above 1)", "Anthropic's temperature range is 0 to 1; clamped to 1")
            return 1
        }
        return temperature
    }

    /// `reasoning_effort` → extended thinking, when the model has it and Anthropic's thinking
    /// rules allow it for this request; otherwise reported as dropped with the reason.
    private mutating func applyThinking(to body: inout AnthropicMessagesRequest, toolChoice: inout AnthropicToolChoice, messages: [AnthropicMessage]) {
        guard let effort = request.reasoningEffort, effort.lowercased() != "none" else { return }
        guard capabilities.supportsThinking else {
            drop("reasoning_effort", "\(model) has no extended thinking")
            return
        }
        guard let effortBudget = AnthropicModelCapabilities.thinkingBudget(forEffort: effort) else {
            drop("reasoning_effort", "unknown effort \"\(effort)\"")
            return
        }
        if toolChoice.type == .any || toolChoice.type == .tool {
            drop("reasoning_effort", "Anthropic refuses thinking when a tool call is forced (tool_choice or response_format)")
            return
        }
        if Self.continuesToolLoopWithoutThinking(messages) {
            drop("reasoning_effort", "Anthropic needs the previous turn's signed thinking blocks to think while using tools; OpenAI messages do not carry them")
            return
        }
        var budget = effortBudget
        if let limit = request.outputTokenLimit {
            // OpenAI's limit covers reasoning and answer alike, as Anthropic's max_tokens does;
            // the budget takes at most half so the answer keeps room.
            budget = min(effortBudget, max(1024, limit / 2))
            guard budget < limit else {
                drop("reasoning_effort", "max_tokens \(limit) leaves no room for Anthropic's minimum thinking budget of 1024")
                return
            }
        } else {
            let ceiling = capabilities.maxOutputTokens ?? 64000
            budget = min(budget, ceiling / 2)
            body.maxTokens = min(ceiling, budget + capabilities.defaultMaxTokens)
        }
        body.thinking = AnthropicMessagesRequest.Thinking(budgetTokens: budget)
        // With thinking on, Anthropic accepts temperature 1 only and top_p of at least 0.95.
        if let temperature = body.temperature, temperature != 1 {
            body.temperature = nil
            drop("temperature", "Anthropic refuses a temperature other than 1 with thinking")
        }
        if let topP = body.topP, topP < 0.95 {
            body.topP = nil
            drop("top_p", "Anthropic refuses top_p below 0.95 with thinking")
        }
    }

    /// Anthropic refuses a conversation with `tool_use`/`tool_result` blocks unless the request
    /// defines tools, while OpenAI clients often send the history without `tools` when they want
    /// a plain answer. The tools the history called are declared with an open schema and
    /// `tool_choice: none`, so the history is valid and the model cannot call anything: what
    /// the client asked for.
    private func declareHistoryTools(in body: inout AnthropicMessagesRequest) {
        var names: [String] = []
        for message in body.messages {
            for case .toolUse(_, let name, _) in message.content where !names.contains(name) {
                names.append(name)
            }
        }
        let hasResults = body.messages.contains { $0.content.contains { if case .toolResult = $0 { true } else { false } } }
        guard !names.isEmpty || hasResults else { return }
        if names.isEmpty { names = ["tool"] }  // results without calls: any declared tool satisfies the rule
        body.tools = names.map {
            AnthropicTool(name: $0, description: "Called earlier in this conversation; not callable now.", inputSchema: ["type": "object"])
        }
        body.toolChoice = AnthropicToolChoice(type: .none)
    }

    /// True when the conversation is mid tool loop: the last assistant turn called tools and
    /// only tool results follow it.
    private static func continuesToolLoopWithoutThinking(_ messages: [AnthropicMessage]) -> Bool {
        guard let lastAssistant = messages.lastIndex(where: { $0.role == .assistant }) else { return false }
        return messages[lastAssistant].content.contains { if case .toolUse = $0 { true } else { false } }
    }

    private mutating func applyRemainingFields(to body: inout AnthropicMessagesRequest) {
        if request.seed != nil { drop("seed", "Anthropic has no seed") }
        if request.logprobs == true || request.topLogprobs != nil { drop("logprobs", "Anthropic returns no log probabilities") }
        if request.frequencyPenalty != nil { drop("frequency_penalty", "Anthropic has no frequency penalty") }
        if request.presencePenalty != nil { drop("presence_penalty", "Anthropic has no presence penalty") }
        if request.metadata != nil { drop("metadata", "Anthropic metadata takes only user_id (sent from `user`)") }
        var unknown = request.unknownFields
        // `top_k` is not OpenAI's but clients of OpenAI-compatible gateways send it; Anthropic has it.
        if let topK = unknown.removeValue(forKey: "top_k")?.intValue {
            body.topK = Int(topK)
        }
        for key in unknown.keys.sorted() {
            drop(key, "not translated to Anthropic")
        }
    }
}
