import WireFormats

/// OpenAI Responses request → OpenAI chat request, for targets without a native `/responses`
/// (the chat request then goes through that target's ``ChatTranslator``).
package enum ResponsesRequestTranslation {
    /// The chat request for `request`, and what chat cannot carry.
    ///
    /// System and developer input messages keep their roles (Archestra turns them into user
    /// messages); consecutive `function_call` items become one assistant message with parallel
    /// tool calls; a stream always asks for usage, because `response.completed` reports it.
    ///
    /// - Throws: ``TranslationError`` (400) for a message role chat does not have.
    package static func chatRequest(for request: ResponsesRequest) throws(TranslationError) -> (ChatCompletionRequest, [DroppedContent]) {
        var dropped = request.unknownFields.keys.sorted().map {
            DroppedContent(kind: $0, reason: "not honoured by /responses over chat")
        }
        var messages: [ChatMessage] = []
        if let instructions = request.instructions, !instructions.isEmpty {
            messages.append(.system(instructions))
        }
        switch request.input {
        case .text(let text):
            messages.append(.user(text))
        case .items(let items):
            for (position, item) in items.enumerated() {
                try append(item, at: position, to: &messages, dropped: &dropped)
            }
        }

        var chat = ChatCompletionRequest(model: request.model, messages: messages)
        chat.tools = functionTools(request.tools, dropped: &dropped)
        chat.toolChoice = toolChoice(request.toolChoice, dropped: &dropped)
        // Without function tools left (hosted ones are dropped) a tool_choice would make
        // targets reject the request for naming tools that are not there.
        if chat.tools == nil { chat.toolChoice = nil }
        chat.parallelToolCalls = request.parallelToolCalls
        chat.temperature = request.temperature
        chat.topP = request.topP
        chat.maxCompletionTokens = request.maxOutputTokens
        chat.responseFormat = responseFormat(request.text, dropped: &dropped)
        chat.reasoningEffort = reasoningEffort(request.reasoning, dropped: &dropped)
        chat.user = request.user
        if request.isStreaming {
            chat.stream = true
            chat.streamOptions = .init(includeUsage: true)
        }
        if request.store == true {
            dropped.append(DroppedContent(kind: "store", reason: "responses over chat are not stored; the id cannot be retrieved later"))
        }
        if request.previousResponseID != nil {
            dropped.append(DroppedContent(kind: "previous_response_id", reason: "responses over chat are not stored; send the whole conversation as input"))
        }
        return (chat, dropped)
    }

    // MARK: Items

    private static func append(
        _ item: ResponsesInputItem, at position: Int, to messages: inout [ChatMessage], dropped: inout [DroppedContent]
    ) throws(TranslationError) {
        switch item {
        case .message(let role, let content):
            switch role {
            case "system":
                messages.append(ChatMessage(role: .system, content: textContent(content, dropped: &dropped)))
            case "developer":
                messages.append(ChatMessage(role: .developer, content: textContent(content, dropped: &dropped)))
            case "user":
                messages.append(ChatMessage(role: .user, content: userContent(content, dropped: &dropped)))
            case "assistant":
                var message = ChatMessage(role: .assistant, content: textContent(content, dropped: &dropped))
                if case .parts(let parts) = content {
                    let refusals = parts.compactMap { part -> String? in if case .refusal(let text) = part { text } else { nil } }
                    if !refusals.isEmpty { message.refusal = refusals.joined(separator: "\n") }
                }
                messages.append(message)
            default:
                throw .invalidRequest(field: "input[\(position)].role", message: "Unknown message role \"\(role)\".")
            }
        case .functionCall(let callID, let name, let arguments):
            let call = ToolCall(id: callID, name: name, arguments: arguments)
            // Calls of one turn arrive as consecutive items (after the turn's text, if any):
            // chat carries them as one assistant message with several tool_calls.
            if var last = messages.last, last.role == .assistant {
                last.toolCalls = (last.toolCalls ?? []) + [call]
                messages[messages.count - 1] = last
            } else {
                messages.append(ChatMessage(role: .assistant, content: nil, toolCalls: [call]))
            }
        case .functionCallOutput(let callID, let output):
            messages.append(ChatMessage(role: .tool, content: textContent(output, dropped: &dropped), toolCallId: callID))
        case .other(let type):
            dropped.append(DroppedContent(kind: "input item \(type)", reason: "only message, function_call and function_call_output items are translated to chat"))
        }
    }

    /// Text only (system, developer, assistant, tool output): the parts' text joined.
    private static func textContent(_ content: ResponsesMessageContent, dropped: inout [DroppedContent]) -> MessageContent {
        switch content {
        case .text(let text):
            return .text(text)
        case .parts(let parts):
            var texts: [String] = []
            for part in parts {
                switch part {
                case .text(let text): texts.append(text)
                case .refusal: break
                default: dropped.append(DroppedContent(kind: partKind(part), reason: "only user messages carry non-text parts over chat"))
                }
            }
            return .text(texts.joined(separator: "\n"))
        }
    }

    /// User content keeps images (URL or data URL) and inline files as chat parts.
    private static func userContent(_ content: ResponsesMessageContent, dropped: inout [DroppedContent]) -> MessageContent {
        guard case .parts(let parts) = content else { return textContent(content, dropped: &dropped) }
        var chatParts: [ContentPart] = []
        for part in parts {
            switch part {
            case .text(let text):
                chatParts.append(.text(text))
            case .image(let url?, _, let detail):
                chatParts.append(.imageURL(url: url, detail: detail))
            case .image(nil, _, _):
                dropped.append(DroppedContent(kind: "input_image (file_id)", reason: "uploaded files are OpenAI's; other providers cannot read them"))
            case .file(let fileID, let fileData, nil, let filename) where fileData != nil || fileID != nil:
                chatParts.append(.file(fileId: fileID, fileData: fileData, filename: filename))
            case .file:
                dropped.append(DroppedContent(kind: "input_file (file_url)", reason: "chat has no file URL part"))
            case .refusal, .other:
                dropped.append(DroppedContent(kind: partKind(part), reason: "not a chat content part"))
            }
        }
        return .parts(chatParts)
    }

    private static func partKind(_ part: ResponsesContentPart) -> String {
        switch part {
        case .text: "input_text"
        case .image: "input_image"
        case .file: "input_file"
        case .refusal: "refusal"
        case .other(let type): type
        }
    }

    // MARK: Tools and options

    /// Function tools (flat in Responses: `name`/`parameters` at the top) → chat tools; hosted
    /// tools (web_search, file_search, computer_use, code_interpreter, mcp…) run inside
    /// OpenAI and are reported.
    private static func functionTools(_ tools: [JSONValue], dropped: inout [DroppedContent]) -> [ChatTool]? {
        var chatTools: [ChatTool] = []
        for tool in tools {
            let type = tool["type"]?.stringValue ?? "?"
            guard type == "function", let name = tool["name"]?.stringValue else {
                dropped.append(DroppedContent(kind: "tools[].type \(type)", reason: "hosted tools run only on OpenAI"))
                continue
            }
            chatTools.append(.function(name, description: tool["description"]?.stringValue,
                                       parameters: tool["parameters"].flatMap { $0.isNull ? nil : $0 },
                                       strict: tool["strict"]?.boolValue))
        }
        return chatTools.isEmpty ? nil : chatTools
    }

    private static func toolChoice(_ choice: JSONValue?, dropped: inout [DroppedContent]) -> ToolChoice? {
        guard let choice, !choice.isNull else { return nil }
        switch choice.stringValue {
        case "auto": return .auto
        case "none": return ToolChoice.none
        case "required": return .required
        default: break
        }
        switch choice["type"]?.stringValue {
        case "function":
            if let name = choice["name"]?.stringValue { return .function(name: name) }
        case "allowed_tools":
            // Chat has no allow-list narrower than `tools`; the mode survives.
            dropped.append(DroppedContent(kind: "tool_choice allowed_tools", reason: "chat has no allow-list; its mode is kept"))
            return choice["mode"]?.stringValue == "required" ? .required : .auto
        default:
            break
        }
        dropped.append(DroppedContent(kind: "tool_choice", reason: "only auto, none, required and a named function translate to chat"))
        return nil
    }

    private static func responseFormat(_ text: JSONValue?, dropped: inout [DroppedContent]) -> ResponseFormat? {
        guard let text, !text.isNull else { return nil }
        if text["verbosity"].map({ !$0.isNull }) == true {
            dropped.append(DroppedContent(kind: "text.verbosity", reason: "chat targets have no verbosity"))
        }
        guard let format = text["format"], let type = format["type"]?.stringValue else { return nil }
        switch type {
        case "json_object":
            return .jsonObject
        case "json_schema":
            // Responses flattens what chat nests under `json_schema`.
            return .jsonSchema(.init(
                name: format["name"]?.stringValue ?? "response", description: format["description"]?.stringValue,
                schema: format["schema"], strict: format["strict"]?.boolValue))
        default:
            return nil
        }
    }

    private static func reasoningEffort(_ reasoning: JSONValue?, dropped: inout [DroppedContent]) -> String? {
        guard let reasoning, !reasoning.isNull else { return nil }
        if let summary = reasoning["summary"], !summary.isNull {
            dropped.append(DroppedContent(kind: "reasoning.summary", reason: "chat targets return reasoning itself, not summaries"))
        }
        return reasoning["effort"]?.stringValue
    }
}
