import Foundation

/// `POST /api/oauth-clients`. No `provider_key_ids` means the primary key of each provider.
struct CreateOAuthClientRequest: Decodable {
    var name: String?
    var allowedProxyIDs: [UUID]?
    var providerKeyIDs: [UUID]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case allowedProxyIDs = "allowed_proxy_ids"
        case providerKeyIDs = "provider_key_ids"
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.allowedProxyIDs = try container.decodeIfPresent([UUID].self, forKey: .allowedProxyIDs)
        self.providerKeyIDs = try container.decodeIfPresent([UUID].self, forKey: .providerKeyIDs)
    }
}

/// `PATCH /api/oauth-clients/{id}`.
struct UpdateOAuthClientRequest: Decodable {
    var name: String?
    var allowedProxyIDs: [UUID]?
    var providerKeyIDs: [UUID]?

    typealias CodingKeys = CreateOAuthClientRequest.CodingKeys

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeUnlessAbsent(String.self, forKey: .name)
        self.allowedProxyIDs = try container.decodeUnlessAbsent([UUID].self, forKey: .allowedProxyIDs)
        self.providerKeyIDs = try container.decodeUnlessAbsent([UUID].self, forKey: .providerKeyIDs)
    }
}
