package import Hummingbird
import NIOCore
package import WireFormats
import HTTPTypes

/// `POST <base>/chat/completions` for every OpenAI-compatible emulator, OpenAI's own included: a
/// deterministic answer (see ``DeterministicReply`` and ``OpenAIToolCallPlanner``), as one object
/// or as an SSE stream, reshaped by the provider's ``CompatibleQuirks`` (none for OpenAI).
package struct CompatibleChatCompletionsHandler: Sendable {
    let gate: DialectScenarioGate
    let quirks: CompatibleQuirks

    package init(gate: DialectScenarioGate, quirks: CompatibleQuirks) {
        self.gate = gate
        self.quirks = quirks
    }

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let call = try await DialectJSONRequest.read(request, context: context, style: self.gate.style)
        guard let messages = call["messages"]?.arrayValue else {
            throw OpenAIErrorStyle.missingParameter("messages")
        }
        let choiceCount = try call.positiveInteger("n") ?? 1
        let tokenLimit = try call.positiveInteger("max_completion_tokens") ?? call.positiveInteger("max_tokens")
        let conversation = OpenAIConversation(chatMessages: messages)
        let toolChoice = self.quirks.anyToolChoiceMeansRequired && call["tool_choice"] == .string("any") ? .string("required") : call["tool_choice"]
        if self.quirks.groqToolUseFailed, let tools = call["tools"]?.arrayValue, !tools.isEmpty,
            conversation.lastUserText?.contains("[tool_use_failed]") == true
        {
            let failure = Self.toolUseFailedError(tools: tools)
            guard call["stream"]?.boolValue == true else { throw failure }
            // Streaming, Groq has already sent 200 when validation fails: the failure arrives as an
            // `event: error` carrying the 400 body plus `status_code`, and no `[DONE]` follows.
            return Self.toolUseFailedStream(failure, call: call, promptTokens: conversation.promptTokens)
        }
        let completion = try OpenAIChatCompletion.deterministic(
            for: call, conversation: conversation, toolChoice: toolChoice, tokenLimit: tokenLimit, choiceCount: choiceCount
        )
        let shaper = CompatibleAnswerShaper(quirks: self.quirks, completion: completion, requestID: "req_\(call.stableID)")

        let scenario = try await self.gate.admit(call.scenario, model: call.model)
        guard call["stream"]?.boolValue == true else {
            let body = ByteBuffer(bytes: shaper.completionObject().encodedData())
            return OpenAIResponseFactory.json(body, script: try StreamScript(scenario: scenario, frameCount: 1))
        }
        let includeUsage = call["stream_options"]?["include_usage"]?.boolValue == true
        var frames = self.quirks.keepAliveComments.map { ByteBuffer(string: ": \($0)\n\n") }
        if self.quirks.perplexityStream {
            // Perplexity ends its stream without `[DONE]`, with CRLF line endings.
            frames += shaper.chunks(includeUsage: includeUsage).map { ByteBuffer(string: "data: \($0.encodedString())\r\n\r\n") }
        } else {
            frames += shaper.chunks(includeUsage: includeUsage).map { SSEEvent(data: $0.encodedString()).byteBuffer }
            frames.append(SSEEvent(data: "[DONE]").byteBuffer)
        }
        return OpenAIResponseFactory.eventStream(frames, script: try StreamScript(scenario: scenario, frameCount: frames.count))
    }

    static func toolUseFailedStream(_ failure: EmulatorError, call: DialectJSONRequest, promptTokens: Int) -> Response {
        let completion = OpenAIChatCompletion(
            id: "chatcmpl-\(call.stableID)",
            model: call.model,
            answer: .text(deltas: [], text: "", finishReason: "stop"),
            choiceCount: 1,
            promptTokens: promptTokens
        )
        var opening = completion.chunk(index: 0, delta: ["role": "assistant", "content": ""], includeUsage: false)
        opening = CompatibleAnswerShaper.setting("x_groq", to: ["id": .string("req_\(call.stableID)"), "seed": 0], in: opening)
        var error = failure.body["error"] ?? [:]
        error = CompatibleAnswerShaper.setting("status_code", to: .int(Int(failure.status.code)), in: error)
        let frames = [
            SSEEvent(data: opening.encodedString()).byteBuffer,
            ByteBuffer(string: "event: error\ndata: \(JSONValue.object(["error": error]).encodedString())\n\n"),
        ]
        return OpenAIResponseFactory.eventStream(frames, script: .plain)
    }

    /// Groq's answer when the model's tool call does not validate against the tool's schema.
    package static func toolUseFailedError(tools: [JSONValue]) -> EmulatorError {
        let name = tools.compactMap(OpenAIFunctionTool.init).first?.name ?? "tool"
        return EmulatorError(
            status: .badRequest,
            body: [
                "error": [
                    "message": .string("Tool call validation failed: tool call validation failed: parameters for tool \(name) did not match schema: errors: [additionalProperties 'foo' not allowed]"),
                    "type": "invalid_request_error",
                    "code": "tool_use_failed",
                    "failed_generation": .string("{\"name\": \"\(name)\", \"arguments\": {\n  \"foo\": \"bar\"\n}}"),
                ]
            ]
        )
    }
}
