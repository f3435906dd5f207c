import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// `POST /{version}/models/{model}:{method}`: `generateContent`, `streamGenerateContent` (with
/// `alt=sse` or as a JSON array), `countTokens`, `embedContent` and `batchEmbedContents`.
package struct GeminiGenerateHandler: Sendable {
    let gate: DialectScenarioGate
    let style = GeminiErrorStyle()

    package init(gate: DialectScenarioGate) { self.gate = gate }

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let target = context.parameters.get("target") ?? ""
        guard let colon = target.lastIndex(of: ":") else {
            throw self.style.error(.notFound, "Method not found.")
        }
        let pathModel = String(target[..<colon])
        let method = target[target.index(after: colon)...]
        let call = try await DialectJSONRequest.read(request, context: context, style: self.style, pathModel: pathModel)
        switch method {
        case "generateContent":
            let reply = try self.reply(to: call)
            let scenario = try await self.gate.admit(call.scenario, model: call.model)
            return try DialectStreamWriter.json(ByteBuffer(bytes: reply.responseObject.encodedData()), scenario: scenario, headers: [:])
        case "streamGenerateContent":
            let reply = try self.reply(to: call)
            let scenario = try await self.gate.admit(call.scenario, model: call.model)
            if DialectAuthenticationMiddleware<BasicRequestContext>.queryValue("alt", in: request) == "sse" {
                return try DialectStreamWriter.response(reply.sseFrames, scenario: scenario, style: self.style, headers: [.contentType: "text/event-stream"])
            }
            return try DialectStreamWriter.response(
                reply.jsonArrayFrames, scenario: scenario, style: self.style, headers: [.contentType: "application/json; charset=UTF-8"]
            )
        case "countTokens":
            let contents = call["contents"]?.arrayValue ?? call["generateContentRequest"]?["contents"]?.arrayValue ?? []
            let tokens = Self.conversation(contents: contents, system: nil).promptTokens
            return Self.json(["totalTokens": .int(tokens), "promptTokensDetails": [["modality": "TEXT", "tokenCount": .int(tokens)]]])
        case "embedContent":
            _ = try await self.gate.admit(call.scenario, model: call.model)
            return Self.json(["embedding": ["values": Self.embedding(call.body, model: call.model)]])
        case "batchEmbedContents":
            _ = try await self.gate.admit(call.scenario, model: call.model)
            guard let requests = call["requests"]?.arrayValue else {
                throw self.style.error(.badRequest, "* BatchEmbedContentsRequest.requests: requests is not specified\n")
            }
            let embeddings = requests.map { item -> JSONValue in ["values": Self.embedding(item.objectValue ?? [:], model: call.model)] }
            return Self.json(["embeddings": .array(embeddings)])
        case "predict":
            // Vertex AI's text-embedding models (text-embedding-005, …) embed through `:predict`.
            _ = try await self.gate.admit(call.scenario, model: call.model)
            return Self.json(try self.predictEmbeddings(call))
        default:
            throw self.style.error(.notFound, "Method not found.")
        }
    }

    /// `:predict` for an embedding model: `{"instances":[{"content", "task_type"?, "title"?}],
    /// "parameters":{"outputDimensionality"?}}` → `{"predictions":[{"embeddings":{"values",
    /// "statistics":{"token_count","truncated"}}}],"metadata":{"billableCharacterCount"}}`.
    func predictEmbeddings(_ call: DialectJSONRequest) throws(EmulatorError) -> JSONValue {
        guard let instances = call["instances"]?.arrayValue, !instances.isEmpty else {
            throw self.style.error(.badRequest, "Invalid request: instances must not be empty.")
        }
        let dimensions = call["parameters"]?["outputDimensionality"]?.intValue ?? 768
        guard (1...768).contains(dimensions) else {
            throw self.style.error(.badRequest, "Invalid request: outputDimensionality must be between 1 and 768.")
        }
        var characters = 0
        var predictions: [JSONValue] = []
        for (index, instance) in instances.enumerated() {
            guard let text = instance["content"]?.stringValue else {
                throw self.style.error(.badRequest, "Invalid request: instances[\(index)].content is required.")
            }
            characters += text.count
            predictions.append([
                "embeddings": [
                    "values": Self.vector(text, dimensions: dimensions),
                    "statistics": ["token_count": .int(DeterministicReply.wordCount(of: text)), "truncated": false],
                ]
            ])
        }
        return ["predictions": .array(predictions), "metadata": ["billableCharacterCount": .int(characters)]]
    }

    static func embedding(_ request: [String: JSONValue], model: String) -> JSONValue {
        let text = (request["content"]?["parts"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: " ")
        let dimensions = request["outputDimensionality"]?.intValue ?? 768
        return Self.vector(text, dimensions: max(1, min(dimensions, 3072)))
    }

    static func vector(_ text: String, dimensions: Int) -> JSONValue {
        DeterministicEmbedding.json(DeterministicEmbedding.vector(for: text, dimensions: dimensions))
    }

    static func json(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=UTF-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.encodedData())))
    }

    func reply(to call: DialectJSONRequest) throws(EmulatorError) -> GeminiReply {
        guard let contents = call["contents"]?.arrayValue, !contents.isEmpty else {
            throw self.style.error(.badRequest, "* GenerateContentRequest.contents: contents is not specified\n")
        }
        try self.validateMedia(contents)
        let conversation = Self.conversation(contents: contents, system: call["systemInstruction"] ?? call["system_instruction"])
        let generationConfig = call["generationConfig"] ?? call["generation_config"]
        let thinking = generationConfig?["thinkingConfig"] ?? generationConfig?["thinking_config"]
        let includeThoughts = (thinking?["includeThoughts"] ?? thinking?["include_thoughts"])?.boolValue == true
        let thoughtWords = includeThoughts ? DeterministicReply.words(of: "**Answering** I will answer the request plainly.") : []
        let thoughtDeltas = thoughtWords.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }

        var tools: [JSONValue] = []
        for tool in call["tools"]?.arrayValue ?? [] {
            for declaration in (tool["functionDeclarations"] ?? tool["function_declarations"])?.arrayValue ?? [] {
                guard let name = declaration["name"]?.stringValue else { continue }
                let schema = declaration["parameters"] ?? declaration["parametersJsonSchema"] ?? declaration["parameters_json_schema"]
                tools.append(FunctionToolAdapter.openAITool(name: name, parameters: schema))
            }
        }
        let calling = (call["toolConfig"] ?? call["tool_config"])?["functionCallingConfig"]
        let mode = calling?["mode"]?.stringValue?.uppercased() ?? "AUTO"
        let allowed = (calling?["allowedFunctionNames"] ?? calling?["allowed_function_names"])?.arrayValue?.compactMap(\.stringValue) ?? []
        // Gemini has no switch against parallel calls: every tool the last user message names is called.
        let planned: [OpenAIPlannedToolCall]
        switch mode {
        case "NONE": planned = []
        case "ANY":
            planned = allowed.count == 1
                ? FunctionToolAdapter.plan(tools: tools, choice: nil, forcedName: allowed[0], conversation: conversation)
                : FunctionToolAdapter.plan(tools: tools, choice: "required", conversation: conversation)
        default: planned = FunctionToolAdapter.plan(tools: tools, choice: "auto", conversation: conversation)
        }

        let content: GeminiReply.Content
        let candidateTokens: Int
        let thinkingBudget = (thinking?["thinkingBudget"] ?? thinking?["thinking_budget"])?.intValue
        if !planned.isEmpty {
            let calls = planned.map { (name: $0.name, args: (try? JSONValue(parsing: Data($0.arguments.utf8))) ?? [:]) }
            // With thinking on, the real API signs the (first) call so the thought can be resumed next turn.
            let signature = includeThoughts || (thinkingBudget ?? 0) != 0
                ? Data("archestra-mock-thought-\(call.stableID)".utf8).base64EncodedString() : nil
            content = .functionCalls(calls, thoughtSignature: signature)
            candidateTokens = planned.reduce(0) { $0 + $1.argumentFragments.count }
        } else if let structured = try self.structuredReply(generationConfig: generationConfig, conversation: conversation) {
            content = .text(deltas: structured.deltas, finishReason: "STOP")
            candidateTokens = structured.deltas.count
        } else {
            let limit = (generationConfig?["maxOutputTokens"] ?? generationConfig?["max_output_tokens"])?.intValue
            let reply = DeterministicReply(for: conversation).truncated(to: limit)
            content = .text(deltas: reply.deltas, finishReason: reply.wasTruncated ? "MAX_TOKENS" : "STOP")
            candidateTokens = reply.deltas.count
        }
        return GeminiReply(
            responseID: String(call.stableID.prefix(23)),
            model: call.model,
            thoughtDeltas: thoughtDeltas,
            thoughtTokens: thoughtWords.count,
            content: content,
            promptTokens: max(1, conversation.promptTokens),
            candidateTokens: candidateTokens
        )
    }

    /// `responseMimeType: "application/json"`: the answer is JSON valid against `responseSchema`
    /// (OpenAPI subset, any type case) or `responseJsonSchema`, or without a schema an object
    /// holding the reply text. A schema with another MIME type is the real API's 400.
    func structuredReply(generationConfig: JSONValue?, conversation: OpenAIConversation) throws(EmulatorError) -> StructuredReply? {
        let mimeType = (generationConfig?["responseMimeType"] ?? generationConfig?["response_mime_type"])?.stringValue
        let schema = generationConfig?["responseSchema"] ?? generationConfig?["response_schema"]
            ?? generationConfig?["responseJsonSchema"] ?? generationConfig?["response_json_schema"]
            ?? generationConfig?["_responseJsonSchema"]
        guard mimeType == "application/json" else {
            if schema != nil {
                throw self.style.error(.badRequest, "Invalid JSON payload received. response_mime_type must be application/json when response_schema is set.")
            }
            return nil
        }
        guard let schema else { return StructuredReply(jsonObjectWith: DeterministicReply(for: conversation).words.joined(separator: " ")) }
        return StructuredReply(schema: schema)
    }

    /// Checks media parts as the API's JSON parser does: `inlineData` needs a `mimeType` and
    /// base64 `data`, `fileData` a `fileUri`. Images, audio and documents are otherwise accepted
    /// and ignored by the deterministic answer.
    func validateMedia(_ contents: [JSONValue]) throws(EmulatorError) {
        for (contentIndex, content) in contents.enumerated() {
            for (partIndex, part) in (content["parts"]?.arrayValue ?? []).enumerated() {
                let field = "contents[\(contentIndex)].parts[\(partIndex)]"
                if let inline = part["inlineData"] ?? part["inline_data"] {
                    guard (inline["mimeType"] ?? inline["mime_type"])?.stringValue?.isEmpty == false else {
                        throw self.style.error(.badRequest, "* GenerateContentRequest.\(field).inline_data.mime_type: required field is not specified\n")
                    }
                    guard let data = inline["data"]?.stringValue, Data(base64Encoded: data) != nil || Data(base64Encoded: Self.padded(data)) != nil else {
                        throw self.style.error(.badRequest, "Invalid value at '\(field).inline_data.data' (TYPE_BYTES), Base64 decoding failed")
                    }
                }
                if let file = part["fileData"] ?? part["file_data"], (file["fileUri"] ?? file["file_uri"])?.stringValue?.isEmpty != false {
                    throw self.style.error(.badRequest, "* GenerateContentRequest.\(field).file_data.file_uri: required field is not specified\n")
                }
            }
        }
    }

    /// Base64 with its padding restored (protobuf JSON accepts unpadded and URL-safe base64).
    static func padded(_ text: String) -> String {
        let standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        return standard + String(repeating: "=", count: (4 - standard.count % 4) % 4)
    }

    /// Contents reduced to roles and text: `model` speaks as the assistant, a turn of
    /// `functionResponse` parts is a tool message carrying the responses' JSON.
    static func conversation(contents: [JSONValue], system: JSONValue?) -> OpenAIConversation {
        var messages: [OpenAIConversation.Message] = []
        if let system {
            let text = Self.text(of: system["parts"]?.arrayValue ?? [])
            if !text.isEmpty { messages.append(OpenAIConversation.Message(role: "system", text: text)) }
        }
        for content in contents {
            let parts = content["parts"]?.arrayValue ?? []
            let responses = parts.compactMap { $0["functionResponse"] ?? $0["function_response"] }
            if !responses.isEmpty {
                let text = responses.map { ($0["response"] ?? [:]).encodedString() }.joined(separator: " ")
                messages.append(OpenAIConversation.Message(role: "tool", text: text))
                continue
            }
            let role = content["role"]?.stringValue == "model" ? "assistant" : "user"
            messages.append(OpenAIConversation.Message(role: role, text: Self.text(of: parts)))
        }
        return OpenAIConversation(messages: messages)
    }

    /// The text of non-thought parts.
    static func text(of parts: [JSONValue]) -> String {
        parts.compactMap { $0["thought"]?.boolValue == true ? nil : $0["text"]?.stringValue }.joined(separator: " ")
    }
}
