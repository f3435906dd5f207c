/// How an emulator checks the client's key.
package enum CompatibleAuthentication: Sendable, Hashable {
    /// `Authorization: Bearer <key>`, required (hosted providers).
    case bearer
    /// A bearer key is optional; one that is sent must be right (vLLM started with `--api-key`
    /// behind a proxy that adds none; Ollama Cloud keys on a local server).
    case optionalBearer
    /// `api-key: <key>` or `Authorization: Bearer <key>` (Azure).
    case azureKey
}
