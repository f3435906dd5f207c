import Foundation

/// One ConverseStream → OpenAI chunks, event by event.
///
/// Text and reasoning deltas become chunks at once; a tool-use block becomes a tool-call start
/// (its name restored from the Bedrock-safe one) and then its input fragments as argument
/// deltas. `messageStop` carries the stop reason and `metadata` the usage; both are held for
/// `finish()`, which writes the finish chunk and, when the client set `include_usage`, the
/// usage chunk. Exception events (`:message-type` exception, delivered with their exception
/// type as `event`) become an upstream error.
struct BedrockStreamTranslator: ChatStreamTranslator {
    private enum Block {
        case toolCall(index: Int)
        /// The answer tool of a `json_schema` response format: its input is the message text.
        case responseFormat
    }

    private var builder: ChatCompletionChunkBuilder
    private let plan: BedrockToolPlan
    private var blocks: [Int: Block] = [:]
    private var toolCallCount = 0
    private var sawContent = false
    private var stopReason: String?
    private var usage: BedrockTokenUsage?

    init(builder: ChatCompletionChunkBuilder, plan: BedrockToolPlan) {
        self.builder = builder
        self.plan = plan
    }

    mutating func translate(_ message: UpstreamStreamMessage) throws(TranslationError) -> [ChatCompletionChunk] {
        let eventType = message.event ?? ""
        if let status = BedrockConverseStreamEvent.exceptionStatuses[eventType] ?? (eventType.hasSuffix("Exception") ? 500 : nil) {
            let error = BedrockAnswerMapping.openAIError(fromBody: message.data, status: status, errorType: eventType)
            throw .upstream(error, status: status)
        }
        let event: BedrockConverseStreamEvent
        do {
            event = try BedrockConverseStreamEvent(eventType: eventType, payload: message.data)
        } catch {
            throw .malformedUpstream("Bedrock \(eventType) event: \(TranslationJSON.describe(error))")
        }
        switch event {
        case .messageStart:
            return self.builder.start()
        case .contentBlockStart(let index, let toolUse?):
            if toolUse.name == self.plan.responseFormatTool {
                self.blocks[index] = .responseFormat
                return self.builder.start()
            }
            let callIndex = self.toolCallCount
            self.toolCallCount += 1
            self.sawContent = true
            self.blocks[index] = .toolCall(index: callIndex)
            return self.builder.toolCallStart(
                index: callIndex, id: toolUse.toolUseId, name: self.plan.names.originalName(for: toolUse.name))
        case .contentBlockStart:
            return []
        case .contentBlockDelta(let index, let delta):
            if let text = delta.text {
                guard !text.isEmpty else { return [] }
                self.sawContent = true
                return self.builder.content(text)
            }
            if let fragment = delta.toolUse?.input {
                switch self.blocks[index] {
                case .toolCall(let callIndex)?:
                    return self.builder.toolCallArguments(index: callIndex, fragment: fragment)
                case .responseFormat?:
                    guard !fragment.isEmpty else { return [] }
                    self.sawContent = true
                    return self.builder.content(fragment)
                case nil:
                    throw .malformedUpstream("Bedrock sent tool input for block \(index) without its contentBlockStart")
                }
            }
            if let reasoning = delta.reasoningContent?.text, !reasoning.isEmpty {
                return self.builder.reasoning(reasoning)
            }
            // Reasoning signatures and redacted reasoning have no OpenAI form.
            return []
        case .contentBlockStop, .unknown:
            return []
        case .messageStop(let reason):
            self.stopReason = reason
            return []
        case .metadata(let usage):
            self.usage = usage
            return []
        }
    }

    mutating func finish() throws(TranslationError) -> [ChatCompletionChunk] {
        let reason = try BedrockAnswerMapping.finishReason(
            self.stopReason, hasToolCalls: self.toolCallCount > 0, hasContent: self.sawContent)
        return self.builder.finish(reason: reason, usage: self.usage.map(BedrockAnswerMapping.usage))
    }
}
