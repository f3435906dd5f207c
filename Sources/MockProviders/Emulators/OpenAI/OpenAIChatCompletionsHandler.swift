package import Hummingbird
import NIOCore
import WireFormats

/// `POST /v1/chat/completions`: a deterministic answer (see ``DeterministicReply`` and
/// ``OpenAIToolCallPlanner``), as one object or as an SSE stream.
package struct OpenAIChatCompletionsHandler: Sendable {
    let gate: OpenAIScenarioGate

    package init(gate: OpenAIScenarioGate) { self.gate = gate }

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let call = try await OpenAIJSONRequest.read(request, context: context)
        guard let messages = call["messages"]?.arrayValue else {
            throw OpenAIEmulatorError.missingParameter("messages")
        }
        let choiceCount = try Self.positiveInteger(call["n"], name: "n") ?? 1
        let tokenLimit = try Self.positiveInteger(call["max_completion_tokens"], name: "max_completion_tokens")
            ?? Self.positiveInteger(call["max_tokens"], name: "max_tokens")
        let conversation = OpenAIConversation(chatMessages: messages)
        let completion = try OpenAIChatCompletion.deterministic(
            for: call, conversation: conversation, toolChoice: call["tool_choice"], tokenLimit: tokenLimit, choiceCount: choiceCount
        )

        let scenario = try await self.gate.admit(call.scenario, model: call.model)
        guard call["stream"]?.boolValue == true else {
            let body = ByteBuffer(bytes: completion.completionObject.encodedData())
            let script = try StreamScript(scenario: scenario, frameCount: 1)
            return OpenAIResponseFactory.json(body, script: script)
        }
        let includeUsage = call["stream_options"]?["include_usage"]?.boolValue == true
        var frames = completion.chunks(includeUsage: includeUsage).map { SSEEvent(data: $0.encodedString()).byteBuffer }
        frames.append(SSEEvent(data: "[DONE]").byteBuffer)
        return OpenAIResponseFactory.eventStream(frames, script: try StreamScript(scenario: scenario, frameCount: frames.count))
    }

    /// An optional integer parameter that must be at least 1 when present.
    static func positiveInteger(_ value: JSONValue?, name: String) throws(OpenAIEmulatorError) -> Int? {
        guard let value, !value.isNull else { return nil }
        guard let integer = value.intValue, integer >= 1 else {
            throw OpenAIEmulatorError.invalidParameter(
                name,
                message: "Invalid '\(name)': integer below minimum value. Expected a value >= 1, but got \(value.encodedString()) instead.",
                code: "integer_below_min_value"
            )
        }
        return integer
    }
}
