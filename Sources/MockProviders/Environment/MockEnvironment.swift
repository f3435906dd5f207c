/// The env file `archestra mock up --env-file` writes: variables that point `archestra serve`
/// and the official SDKs at the running emulators, plus a key each emulator accepts.
package enum MockEnvironment {
    /// The variables for `endpoints`, in catalog order, each provider's variables together.
    package static func variables(for endpoints: [EmulatorEndpoint]) -> [(name: String, value: String)] {
        endpoints.flatMap { endpoint -> [(name: String, value: String)] in
            guard let declaration = EmulatorCatalog.all.first(where: { $0.provider == endpoint.provider }) else {
                return []
            }
            return declaration.environmentVariables(endpoint)
        }
    }

    /// Writes `export NAME='value'` lines atomically (temp file in the same directory + rename),
    /// so a reader polling for the file never sees half of it.
    package static func writeEnvFile(_ variables: [(name: String, value: String)], to path: String) throws {
        try EnvFileWriter(path: path).write(variables)
    }
}
