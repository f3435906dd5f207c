package import WireFormats

/// What a provider's authorizer factory may read: the environment and the resolved base URL
/// (Bedrock takes its signing region from it).
package struct ProviderEnvironment: Sendable {
    let reader: EnvironmentReader
    package let baseURL: String?

    /// The value of `name`, or `nil` when unset or blank.
    package func string(_ name: String) -> String? { self.reader.string(name) }

    /// A key or token variable, wrapped so that nothing holding it can print it.
    package func secret(_ name: String) -> Secret? { self.reader.string(name).map(Secret.init) }

    /// `true`/`1`/`yes` (any case) is true; unset is `false`; anything else is a configuration error.
    package func flag(_ name: String) throws(ConfigurationError) -> Bool { try self.reader.flag(name) }

    package func integer(_ name: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        try self.reader.integer(name, in: range)
    }

    /// A URL variable, validated like every admin-configured URL.
    package func url(_ name: String) throws(ConfigurationError) -> String? {
        guard let value = self.reader.string(name) else { return nil }
        return try ResolvedProvider.validatedBaseURL(value, variable: name)
    }
}
