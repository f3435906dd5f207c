import WireFormats

/// Cohere answers (finish reasons, usage, messages) in OpenAI's terms; shared by the whole-answer
/// and the stream direction so both map the same way.
package enum CohereAnswerTranslation {
    /// Cohere `finish_reason` → OpenAI.
    ///
    /// `ERROR` and `TIMEOUT` are failures, not filters: Cohere documents `ERROR` as "the
    /// generation failed due to an internal error". Reporting them as `content_filter` (as
    /// Archestra does) would tell the client its content was blocked and that retrying is
    /// pointless, so they become an upstream error instead (502 server_error, 504 for a
    /// timeout). Only v1's `ERROR_TOXIC` is a real content filter.
    ///
    /// - Parameter detail: `message-end`'s `error` string, if any, quoted in the message.
    /// - Throws: ``TranslationError/upstream(_:status:)`` for `ERROR`, `TIMEOUT`.
    package static func finishReason(_ reason: String?, detail: String? = nil) throws(TranslationError) -> FinishReason {
        switch reason {
        case "MAX_TOKENS", "ERROR_LIMIT": return .length
        case "TOOL_CALL": return .toolCalls
        case "ERROR_TOXIC": return .contentFilter
        case "ERROR", "TIMEOUT":
            let timedOut = reason == "TIMEOUT"
            let what = timedOut ? "timed out" : "failed"
            let suffix = detail.map { ": \($0)" } ?? ""
            let error = OpenAIErrorBody(message: "Cohere reported that the generation \(what) (finish_reason \(reason ?? ""))\(suffix)",
                                    type: "server_error", param: nil, code: nil)
            throw .upstream(error, status: timedOut ? 504 : 502)
        // COMPLETE, STOP_SEQUENCE, absent and reasons newer than this code: the model stopped.
        default: return .stop
        }
    }

    /// Cohere usage → OpenAI usage.
    ///
    /// Prompt and completion tokens are `billed_units`, what Cohere charges and shows on its
    /// dashboard, so cost limits match the invoice; `tokens` (which include Cohere's own
    /// template, often 20× the billed count) are the fallback when billed units are absent.
    /// `cached_tokens` is a share of `tokens`, so it is reported only with that fallback:
    /// beside billed units it would exceed `prompt_tokens`.
    package static func usage(_ usage: CohereUsage?) -> Usage? {
        guard let usage else { return nil }
        if let billed = usage.billedUnits, billed.inputTokens != nil || billed.outputTokens != nil {
            return Usage(promptTokens: count(billed.inputTokens), completionTokens: count(billed.outputTokens))
        }
        guard let tokens = usage.tokens else { return nil }
        return Usage(
            promptTokens: count(tokens.inputTokens), completionTokens: count(tokens.outputTokens),
            cachedTokens: usage.cachedTokens.map { count($0) })
    }

    private static func count(_ value: Double?) -> Int {
        guard let value, value.isFinite, value > 0 else { return 0 }
        return Int(value.rounded())
    }

    /// The assistant message of a whole answer. Text parts are concatenated as sent; `thinking`
    /// parts and `tool_plan` (the model's reasoning before it calls tools) become
    /// `reasoning_content`, which is where OpenAI-style clients look for reasoning.
    package static func message(_ message: CohereResponseMessage?) -> ChatCompletion.Message {
        let parts = message?.content ?? []
        let texts = parts.filter { $0.type == "text" }.compactMap(\.text)
        var reasoning = parts.filter { $0.type == "thinking" }.compactMap(\.thinking)
        if let plan = message?.toolPlan, !plan.isEmpty { reasoning.append(plan) }
        let toolCalls = (message?.toolCalls ?? []).map { call in
            ToolCall(id: call.id, name: call.function.name, arguments: call.function.arguments)
        }
        let content: String? = texts.isEmpty ? (toolCalls.isEmpty ? "" : nil) : texts.joined()
        return ChatCompletion.Message(
            content: content,
            reasoningContent: reasoning.isEmpty ? nil : reasoning.joined(separator: "\n"),
            toolCalls: toolCalls.isEmpty ? nil : toolCalls)
    }
}
