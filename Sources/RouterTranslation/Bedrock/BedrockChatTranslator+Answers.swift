package import Foundation
package import WireFormats

extension BedrockChatTranslator {
    package func chatCompletion(fromUpstreamBody body: Data, for request: ChatCompletionRequest) throws(TranslationError) -> ChatCompletion {
        let response = try TranslationJSON.decodeUpstream(BedrockConverseResponse.self, from: body, what: "Bedrock Converse answer")
        let plan = try BedrockToolPlan(request: request)
        var text: String?
        var reasoning: String?
        var toolCalls: [ToolCall] = []
        for block in response.output?.message?.content ?? [] {
            if let value = block.text {
                text = (text ?? "") + value
            } else if let value = block.reasoningContent?.reasoningText?.text {
                reasoning = (reasoning ?? "") + value
            } else if let use = block.toolUse {
                if use.name == plan.responseFormatTool {
                    // The forced answer tool of a json_schema response format: its input is the answer.
                    text = (text ?? "") + TranslationJSON.text(of: use.input)
                } else {
                    toolCalls.append(
                        ToolCall(id: use.toolUseId, name: plan.names.originalName(for: use.name), arguments: TranslationJSON.text(of: use.input)))
                }
            }
        }
        let finish = try BedrockAnswerMapping.finishReason(
            response.stopReason, hasToolCalls: !toolCalls.isEmpty, hasContent: text != nil || !toolCalls.isEmpty)
        let identity = self.identities.next()
        return ChatCompletion(
            identity: identity, model: request.model,
            message: ChatCompletion.Message(content: text, reasoningContent: reasoning, toolCalls: toolCalls.isEmpty ? nil : toolCalls),
            finishReason: finish, usage: response.usage.map(BedrockAnswerMapping.usage))
    }

    package func makeStreamTranslator(for request: ChatCompletionRequest) -> any ChatStreamTranslator {
        let builder = ChatCompletionChunkBuilder(identity: self.identities.next(), request: request)
        // The request was translated by `upstreamRequest` before its stream exists, so the plan
        // cannot fail here; an empty plan would only leave mapped names unrestored.
        let plan = (try? BedrockToolPlan(request: request)) ?? BedrockToolPlan.empty
        return BedrockStreamTranslator(builder: builder, plan: plan)
    }

    /// The AWS error body `{"message"}`, typed by the `x-amzn-errortype` header when the caller
    /// has it (pass it to `openAIError(fromUpstreamBody:status:errorType:)`), else by the body's
    /// `__type`/`code` as botocore falls back to.
    package func openAIError(fromUpstreamBody body: Data, status: Int) -> OpenAIErrorBody {
        self.openAIError(fromUpstreamBody: body, status: status, errorType: nil)
    }

    /// - Parameter errorType: the `x-amzn-errortype` header as sent
    ///   (`ThrottlingException:http://internal.amazon.com/coral/…`); only the part before `:` is kept.
    package func openAIError(fromUpstreamBody body: Data, status: Int, errorType: String?) -> OpenAIErrorBody {
        BedrockAnswerMapping.openAIError(fromBody: body, status: status, errorType: errorType)
    }
}

extension BedrockToolPlan {
    static let empty: BedrockToolPlan = {
        // A request with no tools, messages or response format maps nothing and cannot fail.
        (try? BedrockToolPlan(request: ChatCompletionRequest(model: "", messages: [])))
            ?? BedrockToolPlan(names: BedrockToolNameMap(), responseFormatTool: nil)
    }()

    init(names: BedrockToolNameMap, responseFormatTool: String?) {
        self.names = names
        self.responseFormatTool = responseFormatTool
    }
}

/// Bedrock answer details shared by whole answers and streams.
enum BedrockAnswerMapping {
    /// `stopReason` as OpenAI's `finish_reason`: max tokens and a full context window are
    /// `length` (Bifrost #4679 reported truncation as a normal stop), guardrails and filters are
    /// `content_filter`. `malformed_model_output` / `malformed_tool_use` with nothing to show is
    /// an upstream error (502), as Gemini's malformed calls are; with content, the content stands.
    static func finishReason(_ reason: String?, hasToolCalls: Bool, hasContent: Bool) throws(TranslationError) -> FinishReason {
        switch reason {
        case "max_tokens", "model_context_window_exceeded":
            return .length
        case "guardrail_intervened", "content_filtered":
            return .contentFilter
        case "tool_use":
            return hasToolCalls ? .toolCalls : .stop
        case "malformed_model_output", "malformed_tool_use":
            guard hasContent else {
                throw .upstream(
                    OpenAIErrorBody(message: "Bedrock ended the answer with \(reason ?? "")", type: "server_error", code: reason),
                    status: 502)
            }
            return hasToolCalls ? .toolCalls : .stop
        default:
            // end_turn, stop_sequence, a stream cut before messageStop.
            return hasToolCalls ? .toolCalls : .stop
        }
    }

    /// `inputTokens` excludes cache reads and writes; OpenAI's `prompt_tokens` includes cached tokens.
    static func usage(_ usage: BedrockTokenUsage) -> Usage {
        let prompt = (usage.inputTokens ?? 0) + (usage.cacheReadInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0)
        let completion = usage.outputTokens ?? 0
        return Usage(
            promptTokens: prompt, completionTokens: completion, totalTokens: usage.totalTokens ?? prompt + completion,
            cachedTokens: usage.cacheReadInputTokens)
    }

    static func openAIError(fromBody body: Data, status: Int, errorType: String?) -> OpenAIErrorBody {
        let parsed = try? JSONDecoder().decode(BedrockErrorBody.self, from: body)
        let code = (errorType ?? parsed?.type).map { header in
            // `ThrottlingException:http://internal.amazon.com/…` and `com.amazon…#ThrottlingException` both name ThrottlingException.
            let beforeColon = header.split(separator: ":", maxSplits: 1).first.map(String.init) ?? header
            return beforeColon.split(separator: "#").last.map(String.init) ?? beforeColon
        }
        let text = String(decoding: body, as: UTF8.self)
        let message = parsed?.message ?? (text.isEmpty ? "Bedrock answered HTTP \(status)" : text)
        return OpenAIErrorBody(message: message, type: UpstreamErrorType.openAIType(forStatus: status), code: code)
    }
}
