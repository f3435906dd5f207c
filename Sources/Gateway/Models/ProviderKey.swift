package import Foundation
package import WireFormats

/// An organisation-level provider API key (Archestra's `llm_provider_api_keys`), with the
/// per-key settings GATEWAY.md lists: a base URL that overrides the provider's for requests made
/// with this key, and extra headers sent upstream with it.
///
/// The key itself is encrypted at rest and held here as a ``Secret``: printing a `ProviderKey`
/// never shows it.
package struct ProviderKey: Sendable, Hashable {
    package var id: UUID
    /// The route name of the provider (`openai`, `anthropic`, `bedrock`, ...).
    package var provider: String
    package var name: String?
    package var secret: Secret
    /// Overrides the provider's base URL for requests made with this key (validated on write).
    package var baseURL: String?
    /// Sent upstream with every request made with this key; they replace client headers of the
    /// same name.
    package var extraHeaders: [String: String]
    /// The key a provider's `ARCHESTRA_CHAT_<P>_API_KEY` seeds, and the one an OAuth client
    /// without explicit keys uses. At most one per provider.
    package var isPrimary: Bool
    package var createdAt: Date

    package init(
        id: UUID, provider: String, name: String?, secret: Secret, baseURL: String?, extraHeaders: [String: String],
        isPrimary: Bool, createdAt: Date
    ) {
        self.id = id
        self.provider = provider
        self.name = name
        self.secret = secret
        self.baseURL = baseURL
        self.extraHeaders = extraHeaders
        self.isPrimary = isPrimary
        self.createdAt = createdAt
    }
}

package struct ProviderKeyDraft: Sendable, Hashable {
    package var provider: String
    package var name: String?
    package var secret: Secret
    package var baseURL: String?
    package var extraHeaders: [String: String]
    /// `nil`: primary when the provider has no primary key yet.
    package var isPrimary: Bool?

    package init(provider: String, name: String? = nil, secret: Secret, baseURL: String? = nil, extraHeaders: [String: String] = [:], isPrimary: Bool? = nil) {
        self.provider = provider
        self.name = name
        self.secret = secret
        self.baseURL = baseURL
        self.extraHeaders = extraHeaders
        self.isPrimary = isPrimary
    }
}

/// A change to a provider key; `nil` fields stay as they are. `baseURL: .some(nil)` clears it.
package struct ProviderKeyUpdate: Sendable, Hashable {
    package var name: String?
    package var secret: Secret?
    package var baseURL: String??
    package var extraHeaders: [String: String]?
    package var isPrimary: Bool?

    package init(name: String? = nil, secret: Secret? = nil, baseURL: String?? = nil, extraHeaders: [String: String]? = nil, isPrimary: Bool? = nil) {
        self.name = name
        self.secret = secret
        self.baseURL = baseURL
        self.extraHeaders = extraHeaders
        self.isPrimary = isPrimary
    }
}
