import NIOCore
import Proxy
import Testing

/// Cache and reasoning tokens read from each dialect's usage, on usage blocks copied verbatim
/// from the real captures in `shared/real-traffic` (file named on each case) or, where no capture
/// has a non-zero count, from PROTOCOLS.md's wire shapes.
@Suite(.timeLimit(.minutes(1)))
struct UsageDetailsTests {
    @Test("OpenAI Chat Completions: cached prompt tokens and reasoning tokens from the details (xai/chat-stream.ruby-vcr.yml)")
    func openAIChat() {
        let chunk = #"data: {"id":"x","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":745,"completion_tokens":5,"total_tokens":976,"prompt_tokens_details":{"text_tokens":745,"audio_tokens":0,"image_tokens":0,"cached_tokens":679},"completion_tokens_details":{"reasoning_tokens":226,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0},"num_sources_used":0}}"# + "\n\n"
        let usage = OpenAIDialect().usage(inStreamMessage: ByteBuffer(string: chunk))
        #expect(usage == TokenUsage(inputTokens: 745, outputTokens: 5, cacheReadTokens: 679, reasoningTokens: 226))
        #expect(usage?.uncachedInputTokens == 66)
    }

    @Test("OpenAI whole body, pretty-printed, details before and after the counts (openai/chat-tools.go-vcr.yaml)")
    func openAIBody() {
        let body = """
            {"choices": [], "usage": {
                "completion_tokens": 287,
                "completion_tokens_details": {
                  "accepted_prediction_tokens": 0,
                  "audio_tokens": 0,
                  "reasoning_tokens": 256,
                  "rejected_prediction_tokens": 0
                },
                "prompt_tokens": 162,
                "prompt_tokens_details": {
                  "audio_tokens": 0,
                  "cached_tokens": 0
                },
                "total_tokens": 449
            }}
            """
        #expect(OpenAIDialect().usage(inResponseBody: ByteBuffer(string: body)) == TokenUsage(inputTokens: 162, outputTokens: 287, cacheReadTokens: 0, reasoningTokens: 256))
    }

    @Test("OpenAI Responses: input_tokens_details and output_tokens_details (xai/responses-stream.ruby-vcr.yml)")
    func responses() {
        let completed = "event: response.completed\ndata: " + #"{"type":"response.completed","response":{"usage":{"input_tokens":199,"input_tokens_details":{"cached_tokens":128},"output_tokens":160,"output_tokens_details":{"reasoning_tokens":152},"total_tokens":359,"num_sources_used":0,"num_server_side_tools_used":0,"cost_in_usd_ticks":5143500,"context_details":{"input_tokens":199,"output_tokens":160}}}}"# + "\n\n"
        #expect(OpenAIDialect().usage(inStreamMessage: ByteBuffer(string: completed)) == TokenUsage(inputTokens: 199, outputTokens: 160, cacheReadTokens: 128, reasoningTokens: 152))
    }

    @Test("OpenAI: null details are skipped, not a failure")
    func nullDetails() {
        let body = #"{"usage":{"prompt_tokens":3,"completion_tokens":1,"prompt_tokens_details":null,"completion_tokens_details":"x"}}"#
        #expect(OpenAIDialect().usage(inResponseBody: ByteBuffer(string: body)) == TokenUsage(inputTokens: 3, outputTokens: 1))
    }

    @Test("Anthropic: cache reads and writes are input, and kept apart (anthropic/messages-stream-text.chunks.txt shape, non-zero cache)")
    func anthropic() {
        let capture = "event: message_start\ndata: " + #"{"type":"message_start","message":{"model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}"# + "\n\n"
        #expect(AnthropicDialect().usage(inStreamMessage: ByteBuffer(string: capture)) == TokenUsage(inputTokens: 12, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0))
        let cached = #"{"usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":3000,"output_tokens":5}}"#
        let usage = AnthropicDialect().usage(inResponseBody: ByteBuffer(string: cached))
        #expect(usage == TokenUsage(inputTokens: 3210, outputTokens: 5, cacheReadTokens: 3000, cacheWriteTokens: 200))
        #expect(usage?.uncachedInputTokens == 10)
    }

    @Test("Gemini: cachedContentTokenCount and thoughtsTokenCount (gemini/stream-sse-tools-3turn.vcrpy.yaml, then PROTOCOLS.md)")
    func gemini() {
        let capture = #"data: {"candidates": [{"finishReason": "STOP"}],"usageMetadata": {"promptTokenCount": 52,"candidatesTokenCount": 5,"totalTokenCount": 57,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 52}],"candidatesTokensDetails": [{"modality": "TEXT","tokenCount": 5}]},"modelVersion": "gemini-2.0-flash"}"# + "\r\n\r\n"
        #expect(GeminiDialect().usage(inStreamMessage: ByteBuffer(string: capture)) == TokenUsage(inputTokens: 52, outputTokens: 5))
        let cached = #"{"usageMetadata":{"promptTokenCount":400,"cachedContentTokenCount":300,"candidatesTokenCount":20,"thoughtsTokenCount":80,"totalTokenCount":500}}"#
        #expect(GeminiDialect().usage(inResponseBody: ByteBuffer(string: cached)) == TokenUsage(inputTokens: 400, outputTokens: 100, cacheReadTokens: 300, reasoningTokens: 80))
    }

    @Test("Bedrock Converse: inputTokens excludes the cache, so reads and writes are added (bedrock/converse-tools-retry.vcrpy.yaml, then PROTOCOLS.md)")
    func bedrock() {
        let capture = #"{"output":{},"stopReason":"tool_use","usage":{"inputTokens":426,"outputTokens":66,"serverToolUsage":{},"totalTokens":492}}"#
        #expect(BedrockDialect().usage(inResponseBody: ByteBuffer(string: capture)) == TokenUsage(inputTokens: 426, outputTokens: 66))
        let cached = #"{"usage":{"inputTokens":10,"outputTokens":4,"cacheReadInputTokens":500,"cacheWriteInputTokens":60,"totalTokens":574}}"#
        #expect(BedrockDialect().usage(inResponseBody: ByteBuffer(string: cached)) == TokenUsage(inputTokens: 570, outputTokens: 4, cacheReadTokens: 500, cacheWriteTokens: 60))
    }
}
