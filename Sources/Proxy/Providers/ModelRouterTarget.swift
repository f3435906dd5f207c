package import Foundation
package import RouterTranslation
import WireFormats

/// How the model router reaches one provider: part of its ``ProviderDeclaration``, so adding a
/// provider to the router is declaring it, not branching in the pipeline.
package struct ModelRouterTarget: Sendable {
    package enum Chat: Sendable {
        /// The provider speaks OpenAI's chat: only `model` is rewritten, everything else crosses
        /// byte for byte, streams untouched.
        case openAIWire
        /// The provider's own dialect, through a translator (request, answer, stream, errors).
        case translated(any ChatTranslator)
    }

    package enum Embeddings: Sendable {
        /// OpenAI's `/embeddings`, `model` rewritten.
        case openAIWire
        /// The provider's own embeddings API; the translator depends on the model (Bedrock
        /// serves Titan and Cohere embeddings with different bodies). `nil`: not an embeddings model.
        case translated(@Sendable (_ model: String, _ provider: ResolvedProvider) -> (any EmbeddingsTranslator)?)
        /// The provider has no embeddings API the router can reach (Anthropic).
        case unavailable
    }

    package let chat: Chat
    package let embeddings: Embeddings
    /// Whether `/responses` goes to the provider as it is (OpenAI, Azure); otherwise it is
    /// translated over chat.
    package let servesResponsesNatively: Bool
    /// Headers the provider requires that an OpenAI client never sends (`anthropic-version`);
    /// a client's own value wins.
    package let requiredHeaders: [(name: String, value: String)]
    /// How the provider's model list is synced for `/models`.
    package let modelListing: ModelListing
    /// For providers that say how long to wait only in an error body (Google's `RetryInfo`): the
    /// seconds, sent to the OpenAI client as `retry-after`.
    package let retryAfterInErrorBody: (@Sendable (Data) -> Int?)?

    package init(
        chat: Chat, embeddings: Embeddings, servesResponsesNatively: Bool = false,
        requiredHeaders: [(name: String, value: String)] = [], modelListing: ModelListing = .openAI,
        retryAfterInErrorBody: (@Sendable (Data) -> Int?)? = nil
    ) {
        self.modelListing = modelListing
        self.retryAfterInErrorBody = retryAfterInErrorBody
        self.chat = chat
        self.embeddings = embeddings
        self.servesResponsesNatively = servesResponsesNatively
        self.requiredHeaders = requiredHeaders
    }

    /// An OpenAI-compatible provider: chat and embeddings pass through, `/responses` over chat.
    package static let openAIWire = ModelRouterTarget(chat: .openAIWire, embeddings: .openAIWire)

    /// OpenAI and Azure OpenAI, which also serve `/responses` themselves.
    package static let openAIWireWithResponses = ModelRouterTarget(chat: .openAIWire, embeddings: .openAIWire, servesResponsesNatively: true)

    package static let anthropic = ModelRouterTarget(
        chat: .translated(AnthropicChatTranslator()), embeddings: .unavailable,
        requiredHeaders: [(name: "anthropic-version", value: "2023-06-01")], modelListing: .anthropic)

    /// AI Studio paths; the Gemini provider's URL resolver moves them to Vertex AI when it is
    /// configured for Vertex, so one target serves both. Embeddings differ: Vertex AI embeds
    /// through `:predict`.
    package static let gemini = ModelRouterTarget(
        chat: .translated(GeminiChatTranslator()),
        embeddings: .translated { _, provider in
            provider.servesVertexAI ? VertexPredictEmbeddingsTranslator() as any EmbeddingsTranslator : GeminiEmbeddingsTranslator()
        },
        modelListing: .gemini,
        retryAfterInErrorBody: GoogleRPCStatusBody.retryDelaySeconds(inBody:))

    package static let bedrock = ModelRouterTarget(
        chat: .translated(BedrockChatTranslator()),
        embeddings: .translated { model, _ in
            // Cross-region ids (`us.cohere.embed-…`) name the same models.
            if model.contains("cohere.embed") { return BedrockCohereEmbeddingsTranslator() }
            if model.contains("amazon.titan-embed") { return BedrockTitanEmbeddingsTranslator() }
            return nil
        },
        modelListing: .localEndpoint)

    package static let cohere = ModelRouterTarget(
        chat: .translated(CohereChatTranslator()), embeddings: .translated { _, _ in CohereEmbeddingsTranslator() }, modelListing: .cohere)
}

extension ResolvedProvider {
    /// The Gemini provider configured for Vertex AI (`ARCHESTRA_GEMINI_VERTEX_AI_ENABLED`).
    package var servesVertexAI: Bool { self.upstreamURL is VertexAIURLResolver }
}
