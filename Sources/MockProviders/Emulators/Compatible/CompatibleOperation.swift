/// The OpenAI-shaped operations a compatible emulator may serve below its base path.
package enum CompatibleOperation: Sendable, Hashable {
    case chatCompletions
    case embeddings
    case responses
    case models
}
