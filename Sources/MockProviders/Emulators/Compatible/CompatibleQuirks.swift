import HTTPTypes
import Hummingbird
import WireFormats
/// How one provider's answers differ from OpenAI's, as data read from the captures and
/// `PROTOCOLS.md` §7. Every field defaults to "as OpenAI".
package struct CompatibleQuirks: Sendable {
    /// The field reasoning models put their thinking in (`reasoning_content` for Mistral-,
    /// DeepSeek- and GLM-style, `reasoning` for Groq and OpenRouter); `nil` for none.
    package var reasoningField: String?
    /// Groq: `x_groq {id, seed}` on the first chunk and `x_groq {id, usage}` on the last, usage on
    /// the finish chunk instead of a separate usage chunk.
    package var groqMetadata = false
    /// Groq: a request with tools whose last user message contains `[tool_use_failed]` gets
    /// Groq's 400 `tool_use_failed` with a `failed_generation`.
    package var groqToolUseFailed = false
    /// Perplexity: `citations` and `search_results` on the completion and on every chunk, and
    /// `usage` on every chunk.
    package var citations = false
    /// Perplexity: each chunk's choice repeats the whole `message` so far beside its `delta`, the
    /// last chunk is `object: "chat.completion.done"`, no `data: [DONE]`, lines end in CRLF.
    package var perplexityStream = false
    /// With `include_usage`, usage rides on the finish chunk instead of a chunk without choices
    /// (Groq, Perplexity).
    package var usageOnFinishChunk = false
    /// Mistral: usage on the finish chunk of every stream, asked for or not (its streams always
    /// end so: `real-traffic/mistral/chat-stream`).
    package var usageOnFinishChunkAlways = false
    /// OpenRouter: comment lines sent before the first event while the upstream works.
    package var keepAliveComments: [String] = []
    /// OpenRouter: the routed-to upstream named in `provider` on every object and chunk.
    package var upstreamProviderName: String?
    /// OpenRouter: a model whose name ends with this gets an error chunk inside a 200 stream.
    package var midStreamErrorModelSuffix: String?
    /// MiniMax: `base_resp {status_code, status_msg}` on every answer.
    package var baseResp = false
    /// Cerebras: `time_info` beside `usage`.
    package var timeInfo = false
    /// Azure: `prompt_filter_results` (a first stream chunk with empty `choices`) and
    /// `content_filter_results` on every choice.
    package var contentFilter = false
    /// ZhipuAI: a `request_id` beside `id` on non-stream answers.
    package var requestIDField = false
    /// Mistral: an `id` on embeddings answers, with this prefix (its SDK requires it).
    package var embeddingsIDPrefix: String?
    /// Mistral: `tool_choice: "any"` means OpenAI's `"required"` (elsewhere it is a 400).
    package var anyToolChoiceMeansRequired = false
    /// Drop `service_tier`, `system_fingerprint` and the other OpenAI-only envelope fields that the
    /// provider does not send (Perplexity, Mistral).
    package var omitOpenAIEnvelopeFields = false

    package init(
        reasoningField: String? = nil,
        groqMetadata: Bool = false,
        groqToolUseFailed: Bool = false,
        citations: Bool = false,
        perplexityStream: Bool = false,
        usageOnFinishChunk: Bool = false,
        usageOnFinishChunkAlways: Bool = false,
        keepAliveComments: [String] = [],
        upstreamProviderName: String? = nil,
        midStreamErrorModelSuffix: String? = nil,
        baseResp: Bool = false,
        timeInfo: Bool = false,
        contentFilter: Bool = false,
        requestIDField: Bool = false,
        embeddingsIDPrefix: String? = nil,
        anyToolChoiceMeansRequired: Bool = false,
        omitOpenAIEnvelopeFields: Bool = false
    ) {
        self.reasoningField = reasoningField
        self.groqMetadata = groqMetadata
        self.groqToolUseFailed = groqToolUseFailed
        self.citations = citations
        self.perplexityStream = perplexityStream
        self.usageOnFinishChunk = usageOnFinishChunk
        self.usageOnFinishChunkAlways = usageOnFinishChunkAlways
        self.keepAliveComments = keepAliveComments
        self.upstreamProviderName = upstreamProviderName
        self.midStreamErrorModelSuffix = midStreamErrorModelSuffix
        self.baseResp = baseResp
        self.timeInfo = timeInfo
        self.contentFilter = contentFilter
        self.requestIDField = requestIDField
        self.embeddingsIDPrefix = embeddingsIDPrefix
        self.anyToolChoiceMeansRequired = anyToolChoiceMeansRequired
        self.omitOpenAIEnvelopeFields = omitOpenAIEnvelopeFields
    }

    /// Model names that think before answering, across the providers that expose thinking.
    static let reasoningModelMarkers = ["reason", "think", "magistral", "gpt-oss", "-r1", "glm-4.5", "glm-4.6", "qwen3"]

    static func isReasoningModel(_ model: String) -> Bool {
        let lowered = model.lowercased()
        return Self.reasoningModelMarkers.contains { lowered.contains($0) }
    }
}
