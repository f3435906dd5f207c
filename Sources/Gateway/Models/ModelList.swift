package import Foundation

/// The models one upstream credential reaches, as the provider listed them at the last sync:
/// what the model router's `GET /models` answers from, never calling upstream itself.
package struct ModelList: Sendable, Hashable {
    /// Whose list it is: a stored provider key, or the proxy's own identity for a keyless
    /// upstream (cloud IAM, a local server) that no key stands for.
    package enum Source: Sendable, Hashable {
        case providerKey(UUID)
        case proxyIdentity(provider: String)

        /// The text stored as the row's key.
        package var storedValue: String {
            switch self {
            case .providerKey(let id): return id.uuidString.lowercased()
            case .proxyIdentity(let provider): return "identity:" + provider
            }
        }

        package init?(storedValue: String) {
            if storedValue.hasPrefix("identity:") {
                self = .proxyIdentity(provider: String(storedValue.dropFirst("identity:".count)))
            } else if let id = UUID(uuidString: storedValue) {
                self = .providerKey(id)
            } else {
                return nil
            }
        }
    }

    package var source: Source
    package var provider: String
    package var models: [ListedModel]
    package var syncedAt: Date
    /// Why the last sync failed, when it did (the models of the sync before are kept).
    package var error: String?

    package init(source: Source, provider: String, models: [ListedModel], syncedAt: Date, error: String? = nil) {
        self.source = source
        self.provider = provider
        self.models = models
        self.syncedAt = syncedAt
        self.error = error
    }
}

/// One model of a provider's list.
package struct ListedModel: Sendable, Hashable, Codable {
    package enum Kind: String, Sendable, Hashable, Codable {
        case chat
        case embedding
    }

    /// The provider's own id (`gpt-4o-mini`, `amazon.nova-pro-v1:0`).
    package var id: String
    package var kind: Kind
    /// Creation time the provider reported (seconds since 1970), 0 when it reports none.
    package var created: Int

    package init(id: String, kind: Kind, created: Int = 0) {
        self.id = id
        self.kind = kind
        self.created = created
    }
}
