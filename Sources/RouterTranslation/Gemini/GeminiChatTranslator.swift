import Foundation
import WireFormats

/// OpenAI Chat Completions ↔ Gemini `generateContent` (AI Studio and Vertex AI).
///
/// The request side is in this file; answers, streams and errors are in
/// `GeminiChatTranslator+Answers.swift` and `GeminiStreamTranslator.swift`.
package struct GeminiChatTranslator: ChatTranslator {
    /// The path up to and including `models/`, relative to the provider's API root:
    /// `/v1beta/models/` for AI Studio, `/v1beta1/projects/<p>/locations/<l>/publishers/google/models/`
    /// for Vertex AI.
    package var modelsPath: String
    package var identities: CompletionIdentitySource
    package var schemaSanitizer: GeminiSchemaSanitizer

    package init(
        modelsPath: String = "/v1beta/models/", identities: CompletionIdentitySource = .random,
        schemaSanitizer: GeminiSchemaSanitizer = GeminiSchemaSanitizer()
    ) {
        self.modelsPath = modelsPath
        self.identities = identities
        self.schemaSanitizer = schemaSanitizer
    }

    /// Vertex AI's publisher-model path for a project and location.
    package static func vertexModelsPath(project: String, location: String, apiVersion: String = "v1beta1") -> String {
        "/\(apiVersion)/projects/\(project)/locations/\(location)/publishers/google/models/"
    }

    package func upstreamRequest(for request: ChatCompletionRequest, model: String) throws(TranslationError) -> TranslatedRequest {
        var builder = GeminiRequestBuilder(sanitizer: self.schemaSanitizer)
        let body = try builder.build(from: request)
        let nativeModel = model.hasPrefix("models/") ? String(model.dropFirst("models/".count)) : model
        let segment = nativeModel.addingPercentEncoding(withAllowedCharacters: Self.pathSegmentAllowed) ?? nativeModel
        let operation = request.isStreaming ? ":streamGenerateContent?alt=sse" : ":generateContent"
        return TranslatedRequest(
            operationPath: self.modelsPath + segment + operation, body: try TranslationJSON.encode(body),
            isStreaming: request.isStreaming, dropped: builder.dropped)
    }

    /// RFC 3986 unreserved characters: a model id is one path segment.
    static let pathSegmentAllowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}

/// Builds one `GeminiGenerateContentRequest`, collecting what had to be dropped.
struct GeminiRequestBuilder {
    let sanitizer: GeminiSchemaSanitizer
    private(set) var dropped: [DroppedContent] = []

    init(sanitizer: GeminiSchemaSanitizer) { self.sanitizer = sanitizer }

    mutating func build(from request: ChatCompletionRequest) throws(TranslationError) -> GeminiGenerateContentRequest {
        self.dropped = request.droppedUnknownFields
        var systemParts: [GeminiPart] = []
        var contents: [GeminiContent] = []
        for (index, message) in request.messages.enumerated() {
            let field = "messages[\(index)]"
            switch message.role {
            case .system, .developer:
                // Gemini has one system instruction; system messages anywhere in the history join it, in order.
                systemParts += self.textParts(of: message.content, field: field)
            case .user:
                let parts = self.userParts(of: message.content, field: field)
                if !parts.isEmpty { contents.append(GeminiContent(role: "user", parts: parts)) }
            case .assistant:
                let parts = try self.modelParts(of: message, field: field)
                if !parts.isEmpty { contents.append(GeminiContent(role: "model", parts: parts)) }
            case .tool, .function:
                let part = try self.functionResponsePart(for: message, at: index, in: request.messages)
                // Parallel calls are answered in one `user` turn holding every functionResponse:
                // Gemini matches the count of responses to the count of calls.
                if let last = contents.last, last.role == "user", last.parts.allSatisfy({ $0.functionResponse != nil }) {
                    contents[contents.count - 1].parts.append(part)
                } else {
                    contents.append(GeminiContent(role: "user", parts: [part]))
                }
            }
        }
        guard !contents.isEmpty else {
            throw .invalidRequest(field: "messages", message: "Gemini needs at least one user, assistant or tool message besides the system prompt")
        }
        var body = GeminiGenerateContentRequest(
            contents: contents, systemInstruction: systemParts.isEmpty ? nil : GeminiContent(role: nil, parts: systemParts))
        let declarations = try self.functionDeclarations(request.tools ?? [])
        if !declarations.isEmpty { body.tools = [GeminiTool(functionDeclarations: declarations)] }
        body.toolConfig = try self.toolConfig(request.toolChoice, declarations: declarations)
        if request.parallelToolCalls == false {
            self.drop("parallel_tool_calls", "Gemini cannot be told to call one tool at a time")
        }
        let generationConfig = try self.generationConfig(for: request)
        body.generationConfig = generationConfig.isEmpty ? nil : generationConfig
        return body
    }

    private mutating func drop(_ kind: String, _ reason: String) {
        let item = DroppedContent(kind: kind, reason: reason)
        if !self.dropped.contains(item) { self.dropped.append(item) }
    }

    // MARK: Messages

    private mutating func textParts(of content: MessageContent?, field: String) -> [GeminiPart] {
        var parts: [GeminiPart] = []
        for part in content?.parts ?? [] {
            if case .text(let text) = part {
                parts.append(.text(text))
            } else {
                self.drop(part.type, "only text is kept in system messages")
            }
        }
        return parts
    }

    private mutating func userParts(of content: MessageContent?, field: String) -> [GeminiPart] {
        var parts: [GeminiPart] = []
        for part in content?.parts ?? [] {
            switch part {
            case .text(let text):
                parts.append(.text(text))
            case .imageURL(let url, _):
                switch ImageReference(url: url) {
                case .base64(let mediaType, let data):
                    parts.append(GeminiPart(inlineData: GeminiBlob(mimeType: mediaType, data: data)))
                case .remote(let url):
                    // Gemini fetches http(s) URLs itself; the MIME type is optional and guessed from the extension.
                    parts.append(GeminiPart(fileData: GeminiFileData(mimeType: Self.mimeType(forURL: url), fileUri: url)))
                case nil:
                    self.drop("image_url (unsupported URL)", "only data: and http(s) image URLs can be sent to Gemini")
                }
            case .inputAudio(let data, let format):
                parts.append(GeminiPart(inlineData: GeminiBlob(mimeType: "audio/\(format)", data: data)))
            case .file(_, let fileData?, _):
                if case .base64(let mediaType, let data)? = ImageReference(url: fileData) {
                    parts.append(GeminiPart(inlineData: GeminiBlob(mimeType: mediaType, data: data)))
                } else {
                    self.drop("file", "file_data must be a base64 data: URL")
                }
            case .file:
                self.drop("file (file_id)", "OpenAI file ids mean nothing to Gemini")
            case .refusal, .other:
                self.drop(part.type, "Gemini has no equivalent content part")
            }
        }
        return parts
    }

    private mutating func modelParts(of message: ChatMessage, field: String) throws(TranslationError) -> [GeminiPart] {
        var parts: [GeminiPart] = []
        if message.reasoningContent != nil {
            self.drop("reasoning_content", "Gemini takes earlier thinking back only as thought signatures")
        }
        for part in message.content?.parts ?? [] {
            if case .text(let text) = part, !text.isEmpty {
                parts.append(.text(text))
            } else if case .text = part {
                continue
            } else {
                self.drop(part.type, "only text is kept in assistant messages")
            }
        }
        for (callIndex, call) in (message.toolCalls ?? []).enumerated() {
            let arguments = try TranslationJSON.parseEmbedded(
                call.function.arguments, field: "\(field).tool_calls[\(callIndex)].function.arguments")
            let (callID, signature) = GeminiToolCallID.decode(call.id)
            // The id goes back as Gemini's call id: pydantic-ai's recorded traffic shows Gemini
            // accepting client-chosen ids on functionCall/functionResponse (stream-sse-tools-3turn).
            parts.append(
                GeminiPart(
                    thoughtSignature: signature,
                    functionCall: GeminiFunctionCall(id: callID, name: call.function.name, args: arguments)))
        }
        return parts
    }

    /// A `tool` (or legacy `function`) message as a `functionResponse` named after the function
    /// it answers — Gemini pairs calls and results by name, so a fixed name such as Archestra's
    /// "tool_result" misleads the model.
    private mutating func functionResponsePart(
        for message: ChatMessage, at index: Int, in messages: [ChatMessage]
    ) throws(TranslationError) -> GeminiPart {
        let field = "messages[\(index)]"
        var name = message.name
        var callID: String?
        if let toolCallID = message.toolCallId {
            callID = GeminiToolCallID.decode(toolCallID).callID
            // The nearest earlier assistant call with this id: ids may repeat across turns.
            let call = messages[..<index].reversed().lazy.compactMap { $0.toolCalls?.first { $0.id == toolCallID } }.first
            name = call?.function.name ?? name
        }
        guard let name, !name.isEmpty else {
            throw .invalidRequest(
                field: "\(field).tool_call_id",
                message: "\(field) answers a tool call that no earlier assistant message made; Gemini needs the function's name")
        }
        var texts: [String] = []
        for part in message.content?.parts ?? [] {
            if case .text(let text) = part { texts.append(text) } else { self.drop(part.type, "only text is kept in tool results") }
        }
        let text = texts.joined(separator: "\n")
        // Gemini wants an object: a JSON object result goes as is, anything else under "content".
        let response: JSONValue
        if let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), parsed.objectValue != nil {
            response = parsed
        } else {
            response = ["content": .string(text)]
        }
        return GeminiPart(functionResponse: GeminiFunctionResponse(id: callID, name: name, response: response))
    }

    static func mimeType(forURL url: String) -> String? {
        let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        guard let dot = path.lastIndex(of: ".") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "heic": return "image/heic"
        case "heif": return "image/heif"
        case "pdf": return "application/pdf"
        default: return nil
        }
    }

    // MARK: Tools

    private mutating func functionDeclarations(_ tools: [ChatTool]) throws(TranslationError) -> [GeminiFunctionDeclaration] {
        var declarations: [GeminiFunctionDeclaration] = []
        for (index, tool) in tools.enumerated() {
            let field = "tools[\(index)].function"
            guard tool.type == "function" else {
                self.drop("tools (\(tool.type))", "only function tools are translated")
                continue
            }
            guard !tool.function.name.isEmpty else {
                throw .invalidRequest(field: "\(field).name", message: "\(field).name must not be empty")
            }
            if tool.function.strict != nil {
                self.drop("tools[].function.strict", "Gemini has no strict mode for function declarations")
            }
            var parameters: JSONValue?
            if let schema = tool.function.parameters {
                let sanitized = try self.sanitize(schema, field: "\(field).parameters")
                // An argument-less tool: Gemini rejects an OBJECT schema without properties.
                // (An `if`, not a ternary: `nil` there would type-check as `JSONValue.null`.)
                if sanitized["properties"] != nil || sanitized["type"]?.stringValue?.lowercased() != "object" {
                    parameters = sanitized
                }
            }
            declarations.append(
                GeminiFunctionDeclaration(name: tool.function.name, description: tool.function.description, parameters: parameters))
        }
        return declarations
    }

    private mutating func sanitize(_ schema: JSONValue, field: String) throws(TranslationError) -> JSONValue {
        do {
            let result = try self.sanitizer.sanitize(schema)
            for keyword in result.droppedKeywords {
                self.drop("schema keyword \(keyword)", "not part of the schema subset Gemini accepts")
            }
            return result.schema
        } catch {
            throw .invalidRequest(field: field, message: "\(field) cannot be sent to Gemini: \(error.message) (at \(error.path))")
        }
    }

    /// required→ANY, none→NONE, auto→AUTO, a named function→ANY restricted to that name
    /// (Archestra sends AUTO there, which lets the model answer in text instead).
    private mutating func toolConfig(
        _ choice: ToolChoice?, declarations: [GeminiFunctionDeclaration]
    ) throws(TranslationError) -> GeminiToolConfig? {
        guard let choice else { return nil }
        guard !declarations.isEmpty else {
            self.drop("tool_choice", "no tools were sent")
            return nil
        }
        let config: GeminiFunctionCallingConfig
        switch choice {
        case .auto: config = GeminiFunctionCallingConfig(mode: "AUTO")
        case .none: config = GeminiFunctionCallingConfig(mode: "NONE")
        case .required: config = GeminiFunctionCallingConfig(mode: "ANY")
        case .function(let name):
            guard declarations.contains(where: { $0.name == name }) else {
                throw .invalidRequest(field: "tool_choice", message: "tool_choice names \"\(name)\", which is not among the tools")
            }
            config = GeminiFunctionCallingConfig(mode: "ANY", allowedFunctionNames: [name])
        }
        return GeminiToolConfig(functionCallingConfig: config)
    }

    // MARK: Generation settings

    private mutating func generationConfig(for request: ChatCompletionRequest) throws(TranslationError) -> GeminiGenerationConfig {
        var config = GeminiGenerationConfig(
            temperature: request.temperature, topP: request.topP, maxOutputTokens: request.outputTokenLimit,
            stopSequences: request.stop, candidateCount: request.n, seed: request.seed,
            presencePenalty: request.presencePenalty, frequencyPenalty: request.frequencyPenalty)
        if request.isStreaming, let n = request.n, n > 1 {
            throw .unsupported("n > 1 on a stream (Gemini streams one candidate per request through the router)")
        }
        switch request.responseFormat {
        case .jsonObject?:
            config.responseMimeType = "application/json"
        case .jsonSchema(let format)?:
            config.responseMimeType = "application/json"
            if let schema = format.schema {
                config.responseSchema = try self.sanitize(schema, field: "response_format.json_schema.schema")
            }
        case .text?, nil:
            break
        }
        if let effort = request.reasoningEffort {
            // The budgets Google's own OpenAI-compatible endpoint uses for these levels.
            switch effort {
            case "none": config.thinkingConfig = GeminiThinkingConfig(thinkingBudget: 0)
            case "minimal", "low": config.thinkingConfig = GeminiThinkingConfig(includeThoughts: true, thinkingBudget: 1024)
            case "medium": config.thinkingConfig = GeminiThinkingConfig(includeThoughts: true, thinkingBudget: 8192)
            case "high", "xhigh": config.thinkingConfig = GeminiThinkingConfig(includeThoughts: true, thinkingBudget: 24576)
            default: self.drop("reasoning_effort", "\"\(effort)\" has no Gemini thinking budget")
            }
        }
        if request.logprobs == true || request.topLogprobs != nil {
            self.drop("logprobs", "not translated to Gemini's logprobs form")
        }
        if request.user != nil { self.drop("user", "Gemini has no end-user field") }
        if request.metadata != nil { self.drop("metadata", "Gemini has no request metadata") }
        return config
    }
}
