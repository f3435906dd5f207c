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
        default:
            throw self.style.error(.notFound, "Method not found.")
        }
    }

    static func embedding(_ request: [String: JSONValue], model: String) -> JSONValue {
        let text = (request["content"]?["parts"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: " ")
        let dimensions = request["outputDimensionality"]?.intValue ?? 768
        return .array(DeterministicEmbedding.vector(for: text, dimensions: max(1, min(dimensions, 3072))).map { .double(Double($0)) })
    }

    static func json(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=UTF-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.encodedData())))
    }

    func reply(to call: DialectJSONRequest) throws(EmulatorError) -> GeminiReply {
        guard let contents = call["contents"]?.arrayValue, !contents.isEmpty else {
            throw self.style.error(.badRequest, "* GenerateContentRequest.contents: contents is not specified\n")
        }
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
                tools.append(FunctionToolAdapter.openAITool(name: name, parameters: schema.map(FunctionToolAdapter.lowercasingTypes)))
            }
        }
        let calling = (call["toolConfig"] ?? call["tool_config"])?["functionCallingConfig"]
        let mode = calling?["mode"]?.stringValue?.uppercased() ?? "AUTO"
        let allowed = (calling?["allowedFunctionNames"] ?? calling?["allowed_function_names"])?.arrayValue?.compactMap(\.stringValue) ?? []
        let planned: OpenAIPlannedToolCall?
        switch mode {
        case "NONE": planned = nil
        case "ANY":
            planned = allowed.count == 1
                ? FunctionToolAdapter.plan(tools: tools, choice: nil, forcedName: allowed[0], conversation: conversation)
                : FunctionToolAdapter.plan(tools: tools, choice: "required", conversation: conversation)
        default: planned = FunctionToolAdapter.plan(tools: tools, choice: "auto", conversation: conversation)
        }

        let content: GeminiReply.Content
        let candidateTokens: Int
        if let planned {
            let args = (try? JSONValue(parsing: Data(planned.arguments.utf8))) ?? [:]
            content = .functionCall(name: planned.name, args: args)
            candidateTokens = planned.argumentFragments.count
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
