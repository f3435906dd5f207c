package import Foundation
package import WireFormats

extension GeminiChatTranslator {
    package func chatCompletion(fromUpstreamBody body: Data, for request: ChatCompletionRequest) throws(TranslationError) -> ChatCompletion {
        let response = try TranslationJSON.decodeUpstream(GeminiGenerateContentResponse.self, from: body, what: "Gemini generateContent answer")
        let identity = self.identities.next()
        var choices: [ChatCompletion.Choice] = []
        for (position, candidate) in (response.candidates ?? []).enumerated() {
            var text: String?
            var reasoning: String?
            var toolCalls: [ToolCall] = []
            for part in candidate.content?.parts ?? [] {
                if let call = part.functionCall {
                    let id = GeminiAnswerMapping.toolCallID(
                        for: call, signature: part.thoughtSignature, identity: identity, ordinal: toolCalls.count)
                    toolCalls.append(ToolCall(id: id, name: call.name, arguments: TranslationJSON.text(of: call.args ?? [:])))
                } else if let partText = part.text, part.thought == true {
                    reasoning = (reasoning ?? "") + partText
                } else if let partText = part.text {
                    text = (text ?? "") + partText
                }
            }
            let finish = try GeminiAnswerMapping.finishReason(
                candidate.finishReason, finishMessage: candidate.finishMessage, hasToolCalls: !toolCalls.isEmpty,
                hasContent: text != nil || !toolCalls.isEmpty)
            let message = ChatCompletion.Message(
                content: text, reasoningContent: reasoning, toolCalls: toolCalls.isEmpty ? nil : toolCalls)
            choices.append(ChatCompletion.Choice(index: candidate.index ?? position, message: message, finishReason: finish))
        }
        if choices.isEmpty {
            // A blocked prompt: `promptFeedback.blockReason` and no candidates. OpenAI's nearest is
            // an empty answer stopped by the content filter.
            let reason: FinishReason = response.promptFeedback?.blockReason == nil ? .stop : .contentFilter
            choices = [ChatCompletion.Choice(index: 0, message: ChatCompletion.Message(content: nil), finishReason: reason)]
        }
        return ChatCompletion(
            id: identity.id, created: identity.created, model: request.model, choices: choices,
            usage: response.usageMetadata.map(GeminiAnswerMapping.usage))
    }

    package func makeStreamTranslator(for request: ChatCompletionRequest) -> any ChatStreamTranslator {
        GeminiStreamTranslator(builder: ChatCompletionChunkBuilder(identity: self.identities.next(), request: request))
    }

    /// `{"error":{"code","message","status"}}` → OpenAI's error; the rpc status (`INVALID_ARGUMENT`,
    /// `RESOURCE_EXHAUSTED`…) becomes `code`.
    package func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody {
        GeminiAnswerMapping.openAIError(fromBody: body, status: status)
    }
}

/// Gemini answer details shared by whole answers and streams.
enum GeminiAnswerMapping {
    /// The OpenAI tool-call id for a Gemini function call: Gemini's own id when it gave one, else
    /// one unique to this completion, with the part's thought signature folded in (see `GeminiToolCallID`).
    static func toolCallID(for call: GeminiFunctionCall, signature: String?, identity: CompletionIdentity, ordinal: Int) -> String {
        let base = call.id ?? "call_\(identity.id.replacingOccurrences(of: "chatcmpl-", with: ""))_\(ordinal)"
        return GeminiToolCallID.encode(callID: base, thoughtSignature: signature)
    }

    /// Gemini's `finishReason` as OpenAI's.
    ///
    /// `MALFORMED_FUNCTION_CALL` (and `UNEXPECTED_TOOL_CALL`, `TOO_MANY_TOOL_CALLS`): when the
    /// candidate still carries text or calls, they are the answer and it stopped (`stop`, or
    /// `tool_calls`); when it carries nothing — the usual case — an empty "stop" would end an agent
    /// loop silently, so it is an upstream error (502) quoting Gemini's `finishMessage`.
    static func finishReason(
        _ reason: String?, finishMessage: String?, hasToolCalls: Bool, hasContent: Bool
    ) throws(TranslationError) -> FinishReason {
        switch reason {
        case "MAX_TOKENS":
            return .length
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT":
            return .contentFilter
        case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS":
            guard hasContent else {
                let detail = finishMessage.map { ": \($0)" } ?? ""
                throw .upstream(
                    OpenAIErrorBody(
                        message: "Gemini ended the answer with \(reason ?? "")\(detail)", type: "server_error",
                        code: reason?.lowercased()),
                    status: 502)
            }
            return hasToolCalls ? .toolCalls : .stop
        default:
            // STOP, OTHER, LANGUAGE, FINISH_REASON_UNSPECIFIED, a stream that never said.
            return hasToolCalls ? .toolCalls : .stop
        }
    }

    /// `candidatesTokenCount` excludes thinking: completion tokens are candidates + thoughts, as
    /// OpenAI counts reasoning inside `completion_tokens`.
    static func usage(_ metadata: GeminiUsageMetadata) -> Usage {
        let prompt = (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0)
        let completion = (metadata.candidatesTokenCount ?? 0) + (metadata.thoughtsTokenCount ?? 0)
        return Usage(
            promptTokens: prompt, completionTokens: completion, totalTokens: metadata.totalTokenCount ?? prompt + completion,
            cachedTokens: metadata.cachedContentTokenCount, reasoningTokens: metadata.thoughtsTokenCount)
    }

    static func openAIError(fromBody body: Data, status: Int) -> OpenAIErrorBody {
        let type = UpstreamErrorType.openAIType(forStatus: status)
        guard let envelope = try? JSONDecoder().decode(GoogleRPCStatusEnvelope.self, from: body) else {
            let text = String(decoding: body, as: UTF8.self)
            return OpenAIErrorBody(message: text.isEmpty ? "Gemini answered HTTP \(status)" : text, type: type)
        }
        return OpenAIErrorBody(
            message: envelope.error.message ?? "Gemini answered HTTP \(status)", type: type, code: envelope.error.status)
    }
}
