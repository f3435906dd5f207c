package import Foundation
package import Gateway

/// What the pipeline's steps read of the gateway's state. ``GatewayDirectory`` is the
/// production one (in memory, refreshed when the store changes); tests give steps plain values.
package protocol CredentialDirectory: Sendable {
    func authenticateVirtualKey(_ value: String, now: Date) async throws -> VirtualKeyAuthentication
    func authenticateAccessToken(_ value: String, now: Date) async throws -> AccessTokenAuthentication
    func defaultProfile() async throws -> Profile
    func profile(id: UUID) async throws -> Profile?
    func providerKey(id: UUID) async throws -> ProviderKey?
    func primaryProviderKey(provider: String) async throws -> ProviderKey?
    /// The synced model lists the model router's `/models` answers from.
    func modelLists() async throws -> [ModelList]
    /// The tool policies applying to a profile (``ToolPolicySet``), from memory on the hot path.
    func toolPolicies(profileID: UUID) async throws -> ToolPolicySet
    /// The enabled model optimisation rules (``OptimisationRuleSet``), from memory on the hot path.
    func optimisationRules() async throws -> OptimisationRuleSet
}

extension GatewayDirectory: CredentialDirectory {}

extension CredentialDirectory {
    /// Directories that know no policies (test doubles) apply none.
    package func toolPolicies(profileID: UUID) async throws -> ToolPolicySet { .empty }

    /// Directories that know no rules (test doubles) rewrite no model.
    package func optimisationRules() async throws -> OptimisationRuleSet { .empty }

    /// Runs a lookup, turning a store failure into a 503 that names no detail: the client can
    /// retry, and the log has the cause.
    func lookup<Value>(_ body: () async throws -> Value) async throws(ProxyError) -> Value {
        do {
            return try await body()
        } catch {
            throw .gatewayUnavailable
        }
    }
}
