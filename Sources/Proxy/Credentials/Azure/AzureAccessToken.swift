package import Foundation

/// An OAuth access token from Microsoft Entra ID or Azure managed identity.
///
/// Its description never shows the token.
package struct AzureAccessToken: ExpiringCredential, CustomStringConvertible {
    /// Never logged or described.
    package let token: String
    package let expiration: Date?
    /// When the proxy fetched it: a token living less than twice the refresh window is refreshed
    /// at half its life instead, so short-lived tokens are not fetched on every request.
    package let obtained: Date

    package init(token: String, expiration: Date?, obtained: Date = Date()) {
        self.token = token
        self.expiration = expiration
        self.obtained = obtained
    }

    package func refreshDate(window: TimeInterval) -> Date? {
        guard let expiration else { return nil }
        let lifetime = expiration.timeIntervalSince(self.obtained)
        return expiration.addingTimeInterval(-min(window, max(0, lifetime / 2)))
    }

    package var description: String {
        "AzureAccessToken(expiration: \(self.expiration.map { "\($0)" } ?? "none"))"
    }
}

/// One source of the Azure credential chain (client secret, workload identity, managed identity).
///
/// `token` is bounded: every call it makes has a deadline, so a dead endpoint is an error, never
/// a hang. Its errors name the source and never contain a secret.
package protocol AzureTokenSource: Sendable {
    /// What the source is called in errors (`workload identity (AZURE_FEDERATED_TOKEN_FILE)`).
    var sourceName: String { get }
    /// A token for `scope` (`https://cognitiveservices.azure.com/.default`).
    func token(scope: String) async throws(ProxyError) -> AzureAccessToken
}

extension ProxyError {
    /// The proxy could not obtain an Entra ID token from `source`: a 502, naming the source.
    package static func entraTokenUnavailable(source: String, reason: String) -> ProxyError {
        ProxyError(code: .upstreamUnreachable, message: "Could not obtain a Microsoft Entra ID token from \(source): \(reason).")
    }
}

/// Entra scopes, and the resource a managed-identity endpoint takes instead (the scope without
/// `/.default`).
package enum AzureScope {
    /// Azure OpenAI resource and deployment URLs.
    package static let cognitiveServices = "https://cognitiveservices.azure.com/.default"
    /// Foundry: v1 URLs (`…/openai/v1`) and Anthropic on Foundry.
    package static let aiFoundry = "https://ai.azure.com/.default"

    package static func resource(of scope: String) -> String {
        scope.hasSuffix("/.default") ? String(scope.dropLast("/.default".count)) : scope
    }

    /// The scope for an Azure OpenAI request URL: Foundry v1 (`…/openai/v1/…`) or the classic
    /// resource form.
    package static func forAzureOpenAI(url: String) -> String {
        let path = URLComponents(string: url)?.path ?? url
        return path.contains("/openai/v1/") || path.hasSuffix("/openai/v1") ? Self.aiFoundry : Self.cognitiveServices
    }
}
