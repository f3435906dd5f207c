/// The handlers an emulator's extra routes may reuse.
package struct CompatibleHandlers: Sendable {
    package let chat: CompatibleChatCompletionsHandler
    package let embeddings: OpenAIEmbeddingsHandler
    package let responses: OpenAIResponsesHandler
    package let models: OpenAIModelsHandler
    /// The scenario gate the handlers share, so `fail-count` counts across every route.
    package let gate: DialectScenarioGate
}
