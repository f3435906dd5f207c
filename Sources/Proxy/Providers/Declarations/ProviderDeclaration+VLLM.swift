extension ProviderDeclaration {
    /// A self-hosted vLLM server. It has no default location, so its routes answer
    /// `provider_not_configured` until `ARCHESTRA_VLLM_BASE_URL` is set. vLLM checks a key only
    /// when started with `--api-key`: a request without one is forwarded without one.
    package static let vLLM = ProviderDeclaration.openAICompatible(
        id: "vllm",
        defaultBaseURL: nil,
        credentialOptional: true
    )
}
