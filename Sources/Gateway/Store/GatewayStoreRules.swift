import Foundation

/// What both engines' stores (``SQLiteGatewayStore``, ``PostgresGatewayStore``) check and encode
/// the same way, whatever SQL they speak: the input rules, the contexts secrets are sealed with
/// (so a database written by one engine's code reads with the other's), the bcrypt cost and the
/// many-to-many tables.
enum GatewayStoreRules {
    /// bcrypt cost for OAuth client secrets, as Archestra uses: ~50 ms per verification.
    static let bcryptCost: UInt8 = 10

    static func validateName(_ name: String) throws {
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw GatewayStoreError.invalid("a profile needs a non-empty name")
        }
    }

    static func validateProvider(_ provider: String) throws {
        if provider.isEmpty {
            throw GatewayStoreError.invalid("a provider key needs a provider name")
        }
    }

    /// Only absolute http(s) URLs with a host: the proxy sends the provider key there.
    static func validateBaseURL(_ baseURL: String?) throws {
        guard let baseURL else { return }
        guard let components = URLComponents(string: baseURL), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw GatewayStoreError.invalid("a provider key's base URL must be an absolute http or https URL")
        }
    }

    static func encodeHeaders(_ headers: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(headers), as: UTF8.self)
    }

    /// Binds a sealed provider key to its row, so a ciphertext copied to another row fails.
    static func providerKeySealContext(_ id: UUID) -> String {
        "provider_keys.secret:\(StoredID.text(id))"
    }

    static func virtualKeySealContext(_ id: UUID) -> String {
        "virtual_keys.value:\(StoredID.text(id))"
    }

    enum MappingTable: String {
        case virtualKeyProviderKeys = "virtual_key_provider_keys"
        case oauthClientProviderKeys = "oauth_client_provider_keys"
        case oauthClientProfiles = "oauth_client_profiles"

        var ownerColumn: String {
            switch self {
            case .virtualKeyProviderKeys: return "virtual_key_id"
            case .oauthClientProviderKeys, .oauthClientProfiles: return "oauth_client_id"
            }
        }

        var targetColumn: String {
            switch self {
            case .virtualKeyProviderKeys, .oauthClientProviderKeys: return "provider_key_id"
            case .oauthClientProfiles: return "profile_id"
            }
        }
    }
}
