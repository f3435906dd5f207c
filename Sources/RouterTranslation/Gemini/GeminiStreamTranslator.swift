import Foundation
import WireFormats

/// One `:streamGenerateContent?alt=sse` stream → OpenAI chunks, event by event.
///
/// Every event is a whole `GenerateContentResponse` holding only the new parts; each part of
/// each event becomes its delta at once — all of them, in order (Archestra converts only the
/// first part of an event, losing parallel calls and text after a thought). `finishReason` and
/// the final `usageMetadata` arrive on the last event; the finish chunk is written by `finish()`
/// when the upstream body ends, so a stream cut before Gemini said why still closes with a
/// finish chunk (Bifrost #6390).
struct GeminiStreamTranslator: ChatStreamTranslator {
    private var builder: ChatCompletionChunkBuilder
    private var toolCallCount = 0
    private var sawContent = false
    private var finishReason: String?
    private var finishMessage: String?
    private var promptBlocked = false
    private var usage: GeminiUsageMetadata?

    init(builder: ChatCompletionChunkBuilder) {
        self.builder = builder
    }

    mutating func translate(_ message: UpstreamStreamMessage) throws(TranslationError) -> [ChatCompletionChunk] {
        let trimmed = message.data.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        guard !trimmed.isEmpty else { return [] }
        // An in-band failure after the 200: `data: {"error":{…}}`.
        if let failure = try? JSONDecoder().decode(GoogleRPCStatusEnvelope.self, from: message.data) {
            let status = failure.error.code ?? 500
            throw .upstream(GeminiAnswerMapping.openAIError(fromBody: message.data, status: status), status: status)
        }
        let event = try TranslationJSON.decodeUpstream(GeminiGenerateContentResponse.self, from: message.data, what: "Gemini stream event")
        var chunks: [ChatCompletionChunk] = []
        if let metadata = event.usageMetadata { self.usage = metadata }
        if event.promptFeedback?.blockReason != nil { self.promptBlocked = true }
        // The router asks for one candidate on streams (`n > 1` is refused), so candidate 0 is the answer.
        guard let candidate = event.candidates?.first(where: { ($0.index ?? 0) == 0 }) else {
            return self.builder.start()
        }
        for part in candidate.content?.parts ?? [] {
            if let call = part.functionCall {
                let index = self.toolCallCount
                self.toolCallCount += 1
                self.sawContent = true
                let id = GeminiAnswerMapping.toolCallID(
                    for: call, signature: part.thoughtSignature, identity: self.builder.identity, ordinal: index)
                chunks += self.builder.toolCallStart(index: index, id: id, name: call.name)
                // Gemini sends a call whole; an argument-less call still gets `{}` so clients parse it.
                chunks += self.builder.toolCallArguments(index: index, fragment: TranslationJSON.text(of: call.args ?? [:]))
            } else if let text = part.text, !text.isEmpty {
                if part.thought == true {
                    chunks += self.builder.reasoning(text)
                } else {
                    self.sawContent = true
                    chunks += self.builder.content(text)
                }
            }
        }
        if let reason = candidate.finishReason {
            self.finishReason = reason
            self.finishMessage = candidate.finishMessage
        }
        return chunks.isEmpty ? self.builder.start() : chunks
    }

    mutating func finish() throws(TranslationError) -> [ChatCompletionChunk] {
        let reason: FinishReason
        if self.promptBlocked && self.finishReason == nil {
            reason = .contentFilter
        } else {
            reason = try GeminiAnswerMapping.finishReason(
                self.finishReason, finishMessage: self.finishMessage, hasToolCalls: self.toolCallCount > 0,
                hasContent: self.sawContent)
        }
        return self.builder.finish(reason: reason, usage: self.usage.map(GeminiAnswerMapping.usage))
    }
}
