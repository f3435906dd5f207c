import Foundation

/// `POST /api/virtual-keys`: at most one of `expires_at` and `expires_in_seconds`.
struct CreateVirtualKeyRequest: Decodable {
    var name: String?
    var providerKeyIDs: [UUID]
    var expiresAt: Date?
    var expiresInSeconds: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case providerKeyIDs = "provider_key_ids"
        case expiresAt = "expires_at"
        case expiresInSeconds = "expires_in_seconds"
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.providerKeyIDs = try container.decode([UUID].self, forKey: .providerKeyIDs)
        self.expiresAt = try container.decodeIfPresent(Date.self, forKey: .expiresAt)
        self.expiresInSeconds = try container.decodeIntegerIfPresent(forKey: .expiresInSeconds)
    }
}

/// `PATCH /api/virtual-keys/{id}`: `expires_at: null` removes the expiry.
struct UpdateVirtualKeyRequest: Decodable {
    var name: String?
    var expiresAt: Date??
    var providerKeyIDs: [UUID]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case expiresAt = "expires_at"
        case providerKeyIDs = "provider_key_ids"
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeUnlessAbsent(String.self, forKey: .name)
        self.expiresAt = try container.decodeClearable(Date.self, forKey: .expiresAt)
        self.providerKeyIDs = try container.decodeUnlessAbsent([UUID].self, forKey: .providerKeyIDs)
    }
}
