import Foundation
import WireFormats

/// OpenAI Chat Completions ↔ Bedrock Converse / ConverseStream.
///
/// The request side is in this file; answers, streams and errors are in
/// `BedrockChatTranslator+Answers.swift` and `BedrockStreamTranslator.swift`. Tool names are
/// mapped to Bedrock-safe names (`BedrockToolNameMap`) on the way out and restored on the way
/// back; the map is rebuilt from the request each time, so no state is kept between calls.
package struct BedrockChatTranslator: ChatTranslator {
    package var identities: CompletionIdentitySource

    package init(identities: CompletionIdentitySource = .random) {
        self.identities = identities
    }

    package func upstreamRequest(for request: ChatCompletionRequest, model: String) throws(TranslationError) -> TranslatedRequest {
        var builder = try BedrockRequestBuilder(request: request)
        let body = try builder.build()
        let segment = model.addingPercentEncoding(withAllowedCharacters: Self.pathSegmentAllowed) ?? model
        let operation = request.isStreaming ? "/converse-stream" : "/converse"
        return TranslatedRequest(
            operationPath: "/model/" + segment + operation, body: try TranslationJSON.encode(body),
            isStreaming: request.isStreaming, dropped: builder.dropped)
    }

    /// RFC 3986 unreserved characters: the model id (`us.amazon.nova-pro-v1:0`, an inference
    /// profile ARN with `/`) is one path segment, so `:` and `/` are percent-encoded.
    static let pathSegmentAllowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}

/// What a request's tools look like on the Bedrock side: the name map and the tool that carries
/// a `json_schema` response format. Built from the request alone, so the answer and the stream
/// can rebuild it.
struct BedrockToolPlan: Sendable {
    /// The forced tool whose input is the answer, for `response_format: json_schema`.
    static let responseFormatToolName = "json_response"

    var names: BedrockToolNameMap
    /// Set when `response_format` is a JSON schema: its toolUse input is the message content.
    var responseFormatTool: String?

    init(request: ChatCompletionRequest) throws(TranslationError) {
        var names = BedrockToolNameMap()
        for (index, tool) in (request.tools ?? []).enumerated() {
            do {
                _ = try names.bedrockName(for: tool.function.name)
            } catch {
                throw .invalidRequest(field: "tools[\(index)].function.name", message: "tools[\(index)].function.name: \(error.message)")
            }
        }
        for (index, message) in request.messages.enumerated() {
            for (callIndex, call) in (message.toolCalls ?? []).enumerated() {
                do {
                    _ = try names.bedrockName(for: call.function.name)
                } catch {
                    let field = "messages[\(index)].tool_calls[\(callIndex)].function.name"
                    throw .invalidRequest(field: field, message: "\(field): \(error.message)")
                }
            }
        }
        self.names = names
        if case .jsonSchema? = request.responseFormat {
            self.responseFormatTool = Self.responseFormatToolName
        }
    }

    func bedrockName(for original: String) -> String {
        var names = self.names
        // Every name of the request was mapped in `init`, so this only looks up.
        return (try? names.bedrockName(for: original)) ?? original
    }
}

/// Builds one `BedrockConverseRequest`, collecting what had to be dropped.
struct BedrockRequestBuilder {
    let request: ChatCompletionRequest
    let plan: BedrockToolPlan
    private(set) var dropped: [DroppedContent] = []

    init(request: ChatCompletionRequest) throws(TranslationError) {
        self.request = request
        self.plan = try BedrockToolPlan(request: request)
    }

    static let imageFormats: [String: String] = ["image/png": "png", "image/jpeg": "jpeg", "image/jpg": "jpeg", "image/gif": "gif", "image/webp": "webp"]
    static let documentFormats: [String: String] = [
        "application/pdf": "pdf", "text/csv": "csv", "application/msword": "doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        "application/vnd.ms-excel": "xls", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
        "text/html": "html", "text/plain": "txt", "text/markdown": "md",
    ]

    mutating func build() throws(TranslationError) -> BedrockConverseRequest {
        self.dropped = self.request.droppedUnknownFields
        var system: [BedrockSystemBlock] = []
        var messages: [BedrockMessage] = []
        var historyHasToolBlocks = false
        for (index, message) in self.request.messages.enumerated() {
            let field = "messages[\(index)]"
            var role = "user"
            var blocks: [BedrockContentBlock] = []
            switch message.role {
            case .system, .developer:
                for part in message.content?.parts ?? [] {
                    if case .text(let text) = part { system.append(BedrockSystemBlock(text: text)) } else { self.drop(part.type, "only text is kept in system messages") }
                }
                continue
            case .user:
                blocks = self.userBlocks(of: message.content, field: field)
            case .assistant:
                role = "assistant"
                blocks = try self.assistantBlocks(of: message, field: field)
            case .tool, .function:
                blocks = [try self.toolResultBlock(for: message, at: index)]
            }
            historyHasToolBlocks = historyHasToolBlocks || blocks.contains { $0.toolUse != nil || $0.toolResult != nil }
            guard !blocks.isEmpty else { continue }
            // Converse requires user and assistant to alternate: consecutive tool results (and a
            // user message right after them) become one user message.
            if let last = messages.last, last.role == role {
                messages[messages.count - 1].content += blocks
            } else {
                messages.append(BedrockMessage(role: role, content: blocks))
            }
        }
        guard !messages.isEmpty else {
            throw .invalidRequest(field: "messages", message: "Bedrock needs at least one user, assistant or tool message besides the system prompt")
        }
        var body = BedrockConverseRequest(messages: messages, system: system.isEmpty ? nil : system)
        body.toolConfig = try self.toolConfig(historyHasToolBlocks: historyHasToolBlocks)
        let inference = BedrockInferenceConfig(
            maxTokens: self.request.outputTokenLimit, temperature: self.request.temperature, topP: self.request.topP,
            stopSequences: self.request.stop)
        body.inferenceConfig = inference.isEmpty ? nil : inference
        self.reportUntranslatedSettings()
        return body
    }

    private mutating func drop(_ kind: String, _ reason: String) {
        let item = DroppedContent(kind: kind, reason: reason)
        if !self.dropped.contains(item) { self.dropped.append(item) }
    }

    // MARK: Messages

    private mutating func userBlocks(of content: MessageContent?, field: String) -> [BedrockContentBlock] {
        var blocks: [BedrockContentBlock] = []
        var documentCount = 0
        for part in content?.parts ?? [] {
            switch part {
            case .text(let text):
                blocks.append(.text(text))
            case .imageURL(let url, _):
                switch ImageReference(url: url) {
                case .base64(let mediaType, let data):
                    guard let format = Self.imageFormats[mediaType] else {
                        self.drop("image_url (\(mediaType))", "Bedrock takes png, jpeg, gif and webp images")
                        continue
                    }
                    blocks.append(BedrockContentBlock(image: BedrockImageBlock(format: format, source: BedrockBytesSource(bytes: data))))
                case .remote:
                    self.drop("image_url (http)", "Bedrock Converse takes images as base64 bytes only")
                case nil:
                    self.drop("image_url (unsupported URL)", "only base64 data: URLs can be sent to Bedrock")
                }
            case .file(_, let fileData?, let filename):
                guard case .base64(let mediaType, let data)? = ImageReference(url: fileData),
                    let format = Self.documentFormats[mediaType]
                else {
                    self.drop("file", "Bedrock documents must be base64 pdf, csv, doc(x), xls(x), html, txt or md")
                    continue
                }
                documentCount += 1
                let name = Self.documentName(filename, ordinal: documentCount)
                blocks.append(BedrockContentBlock(document: BedrockDocumentBlock(format: format, name: name, source: BedrockBytesSource(bytes: data))))
            case .file:
                self.drop("file (file_id)", "OpenAI file ids mean nothing to Bedrock")
            case .inputAudio:
                self.drop("input_audio", "Bedrock Converse takes no audio")
            case .refusal, .other:
                self.drop(part.type, "Bedrock has no equivalent content block")
            }
        }
        // Converse rejects a message holding a document and no text.
        if documentCount > 0 && !blocks.contains(where: { $0.text != nil }) {
            blocks.append(.text("See the attached document."))
        }
        return blocks
    }

    /// Bedrock document names allow letters, digits, single spaces, hyphens, parentheses and
    /// brackets; the extension goes (the format says it).
    static func documentName(_ filename: String?, ordinal: Int) -> String {
        let base = (filename ?? "").split(separator: ".").dropLast().joined(separator: " ")
        let cleaned = String(base.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "(", ")", "[", "]": Character(scalar)
            default: " "
            }
        }).split(separator: " ").joined(separator: " ")
        return cleaned.isEmpty ? "document \(ordinal)" : cleaned
    }

    private mutating func assistantBlocks(of message: ChatMessage, field: String) throws(TranslationError) -> [BedrockContentBlock] {
        var blocks: [BedrockContentBlock] = []
        if message.reasoningContent != nil {
            // Claude on Bedrock needs reasoning back *with* its signature, which OpenAI clients do not keep.
            self.drop("reasoning_content", "Bedrock takes reasoning back only with its signature")
        }
        for part in message.content?.parts ?? [] {
            if case .text(let text) = part {
                // Converse rejects blank text blocks.
                if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { blocks.append(.text(text)) }
            } else {
                self.drop(part.type, "only text is kept in assistant messages")
            }
        }
        for (callIndex, call) in (message.toolCalls ?? []).enumerated() {
            let input = try TranslationJSON.parseEmbedded(
                call.function.arguments, field: "\(field).tool_calls[\(callIndex)].function.arguments")
            blocks.append(
                BedrockContentBlock(
                    toolUse: BedrockToolUseBlock(toolUseId: call.id, name: self.plan.bedrockName(for: call.function.name), input: input)))
        }
        return blocks
    }

    private func toolResultBlock(for message: ChatMessage, at index: Int) throws(TranslationError) -> BedrockContentBlock {
        let field = "messages[\(index)]"
        var toolUseID = message.toolCallId
        if toolUseID == nil, message.role == .function, let name = message.name {
            // A legacy `function` message has no id: it answers the nearest earlier call of that name.
            toolUseID = self.request.messages[..<index].reversed().lazy
                .compactMap { $0.toolCalls?.last { $0.function.name == name }?.id }.first
        }
        guard let toolUseID, !toolUseID.isEmpty else {
            throw .invalidRequest(field: "\(field).tool_call_id", message: "\(field) must name the tool call it answers (tool_call_id)")
        }
        let text = message.content?.joinedText ?? ""
        let content: BedrockToolResultContent
        if let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), parsed.objectValue != nil {
            content = BedrockToolResultContent(json: parsed)
        } else {
            content = BedrockToolResultContent(text: text)
        }
        return BedrockContentBlock(toolResult: BedrockToolResultBlock(toolUseId: toolUseID, content: [content]))
    }

    // MARK: Tools

    /// Tools are always sent when declared (LiteLLM #30053 lost them). `tool_choice: none` has no
    /// Converse form: the tools are left out — unless the history holds toolUse/toolResult
    /// blocks, which Converse refuses without a `toolConfig`; then the tools go with `auto` and the
    /// `none` is reported as dropped. Names used in the history but no longer declared get a
    /// permissive spec for the same reason.
    private mutating func toolConfig(historyHasToolBlocks: Bool) throws(TranslationError) -> BedrockToolConfig? {
        var tools: [BedrockTool] = []
        var declared = Set<String>()
        for tool in self.request.tools ?? [] {
            guard tool.type == "function" else {
                self.drop("tools (\(tool.type))", "only function tools are translated")
                continue
            }
            if tool.function.strict != nil { self.drop("tools[].function.strict", "Bedrock has no strict mode for tools") }
            let name = self.plan.bedrockName(for: tool.function.name)
            declared.insert(name)
            tools.append(
                BedrockTool(
                    toolSpec: .init(
                        name: name, description: tool.function.description,
                        inputSchema: .init(json: tool.function.parameters ?? ["type": "object", "properties": [:]]))))
        }
        var choice: BedrockToolChoice?
        switch self.request.toolChoice {
        case .auto?: choice = .auto
        case .required?: choice = .any
        case .function(let name)?:
            let mapped = self.plan.bedrockName(for: name)
            guard declared.contains(mapped) else {
                throw .invalidRequest(field: "tool_choice", message: "tool_choice names \"\(name)\", which is not among the tools")
            }
            choice = .tool(name: mapped)
        case .none?:
            guard historyHasToolBlocks else { return nil }
            self.drop("tool_choice (none)", "Bedrock requires the tools while the history holds tool calls; sent with auto")
            choice = .auto
        case nil:
            break
        }
        switch self.request.responseFormat {
        case .jsonSchema(let format)?:
            let name = BedrockToolPlan.responseFormatToolName
            let schema = format.schema ?? ["type": "object"]
            tools.append(
                BedrockTool(
                    toolSpec: .init(
                        name: name, description: format.description ?? "Answer with JSON matching this schema (\(format.name)).",
                        inputSchema: .init(json: schema))))
            declared.insert(name)
            // With other tools the model may still call them; the answer tool is then one choice among them.
            choice = tools.count == 1 ? .tool(name: name) : .any
        case .jsonObject?:
            self.drop("response_format (json_object)", "Bedrock has no JSON mode; use json_schema")
        case .text?, nil:
            break
        }
        if historyHasToolBlocks {
            for message in self.request.messages {
                for call in message.toolCalls ?? [] {
                    let name = self.plan.bedrockName(for: call.function.name)
                    guard !declared.contains(name) else { continue }
                    declared.insert(name)
                    tools.append(
                        BedrockTool(
                            toolSpec: .init(
                                name: name, description: "A tool called earlier in the conversation.",
                                inputSchema: .init(json: ["type": "object"]))))
                }
            }
        }
        guard !tools.isEmpty else {
            if self.request.toolChoice != nil { self.drop("tool_choice", "no tools were sent") }
            return nil
        }
        return BedrockToolConfig(tools: tools, toolChoice: choice)
    }

    private mutating func reportUntranslatedSettings() {
        let request = self.request
        if let n = request.n, n > 1 { self.drop("n", "Bedrock answers one choice per request") }
        if request.seed != nil { self.drop("seed", "Converse has no seed") }
        if request.frequencyPenalty != nil { self.drop("frequency_penalty", "Converse has no penalties") }
        if request.presencePenalty != nil { self.drop("presence_penalty", "Converse has no penalties") }
        if request.logprobs == true || request.topLogprobs != nil { self.drop("logprobs", "Converse returns no logprobs") }
        if request.parallelToolCalls == false { self.drop("parallel_tool_calls", "Converse cannot be told to call one tool at a time") }
        if request.reasoningEffort != nil { self.drop("reasoning_effort", "thinking settings are model-specific on Bedrock") }
        if request.user != nil { self.drop("user", "Converse has no end-user field") }
        if request.metadata != nil { self.drop("metadata", "not translated to Converse requestMetadata") }
    }
}
