package import Hummingbird
import NIOCore
import WireFormats

/// `POST /v1/responses`: the same deterministic answer as Chat Completions, in the Responses
/// API's object and typed-event stream (`event: <type>` + `data: {"type":..,"sequence_number":N}`).
package struct OpenAIResponsesHandler: Sendable {
    let gate: DialectScenarioGate

    package init(gate: DialectScenarioGate) { self.gate = gate }

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let call = try await DialectJSONRequest.read(request, context: context, style: self.gate.style)
        let instructions = call["instructions"]?.stringValue
        let conversation = OpenAIConversation(responsesInput: call["input"], instructions: instructions)
        let tokenLimit = try call.positiveInteger("max_output_tokens")
        let toolCalls = try OpenAIToolCallPlanner.plan(
            tools: call["tools"]?.arrayValue, toolChoice: call["tool_choice"], conversation: conversation,
            parallel: call["parallel_tool_calls"]?.boolValue != false
        )

        let output: OpenAIResponse.Output
        if !toolCalls.isEmpty {
            output = .functionCalls(toolCalls.enumerated().map { index, toolCall in (toolCall, call.stableID(call: index)) })
        } else if let structured = StructuredReply(openAIFormat: call["text"]?["format"], conversation: conversation) {
            output = .message(deltas: structured.deltas, text: structured.text, truncated: false)
        } else {
            let reply = DeterministicReply(for: conversation).truncated(to: tokenLimit)
            output = .message(deltas: reply.deltas, text: reply.text, truncated: reply.wasTruncated)
        }
        var echoed: [String: JSONValue] = ["model": .string(call.model)]
        for key in ["instructions", "max_output_tokens", "tools", "tool_choice", "parallel_tool_calls", "temperature", "top_p", "metadata", "store", "previous_response_id"] {
            if let value = call[key] { echoed[key] = value }
        }
        let response = OpenAIResponse(
            id: "resp_\(call.stableID)",
            stableID: call.stableID,
            model: call.model,
            output: output,
            inputTokens: conversation.promptTokens,
            echoed: echoed
        )

        let scenario = try await self.gate.admit(call.scenario, model: call.model)
        guard call["stream"]?.boolValue == true else {
            let body = ByteBuffer(bytes: response.responseObject(finished: true).encodedData())
            return OpenAIResponseFactory.json(body, script: try StreamScript(scenario: scenario, frameCount: 1))
        }
        let frames = response.events.map { SSEEvent(event: $0.type, data: $0.data.encodedString()).byteBuffer }
        return OpenAIResponseFactory.eventStream(frames, script: try StreamScript(scenario: scenario, frameCount: frames.count))
    }
}
