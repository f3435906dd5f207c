extension ProviderDeclaration {
    /// A provider that speaks OpenAI's API with a bearer key: the common case, written as data.
    ///
    /// Variables follow the reference's pattern, `ARCHESTRA_<ID>_BASE_URL` and
    /// `ARCHESTRA_CHAT_<ID>_API_KEY`, unless a provider names its own. `redundantPrefixes` are the
    /// path prefixes a client may send that the base URL already contains (a provider SDK whose
    /// base is the host root, or an OpenAI client pointed at `<proxy>/v1/<id>/v1`).
    package static func openAICompatible(
        id: String,
        defaultBaseURL: String?,
        baseURLVariables: [String]? = nil,
        redundantPrefixes: [String] = ["/v1"],
        credentialOptional: Bool = false,
        configuredHeaders: [ConfiguredHeader] = []
    ) -> ProviderDeclaration {
        let variableStem = id.uppercased()
        return ProviderDeclaration(
            id: id,
            dialect: OpenAIDialect(),
            defaultBaseURL: defaultBaseURL,
            baseURLVariables: baseURLVariables ?? ["ARCHESTRA_\(variableStem)_BASE_URL"],
            fallbackAPIKeyVariable: "ARCHESTRA_CHAT_\(variableStem)_API_KEY",
            clientCredentials: credentialOptional ? Self.selfHostedCredentials : [.authorizationBearer],
            credentialOptional: credentialOptional,
            upstreamURL: AppendOperationPath(droppingPrefixes: redundantPrefixes),
            configuredHeaders: configuredHeaders
        )
    }

    /// A self-hosted server decides itself what its `Authorization` means: a bearer key is read
    /// as one, and any other value (an empty `Bearer`, a raw token) is forwarded as sent.
    static let selfHostedCredentials: [ClientCredentialLocation] = [.authorizationBearer, .header("authorization")]
}
