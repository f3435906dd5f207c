import WireFormats

/// `POST /api/provider-keys`. The key arrives as a ``Secret`` straight from the decoder, so no
/// description of this request can show it.
struct CreateProviderKeyRequest: Decodable {
    var provider: String
    var apiKey: Secret
    var name: String?
    var baseURL: String?
    var extraHeaders: [String: String]?
    var isPrimary: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case provider, name
        case apiKey = "api_key"
        case baseURL = "base_url"
        case extraHeaders = "extra_headers"
        case isPrimary = "is_primary"
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.provider = try container.decode(String.self, forKey: .provider)
        self.apiKey = Secret(try container.decode(String.self, forKey: .apiKey))
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.baseURL = try container.decodeIfPresent(String.self, forKey: .baseURL)
        self.extraHeaders = try container.decodeIfPresent([String: String].self, forKey: .extraHeaders)
        self.isPrimary = try container.decodeIfPresent(Bool.self, forKey: .isPrimary)
    }
}

/// `PATCH /api/provider-keys/{id}`: `api_key` rotates the key, `base_url: null` clears the URL.
struct UpdateProviderKeyRequest: Decodable {
    var name: String?
    var apiKey: Secret?
    var baseURL: String??
    var extraHeaders: [String: String]?
    var isPrimary: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case apiKey = "api_key"
        case baseURL = "base_url"
        case extraHeaders = "extra_headers"
        case isPrimary = "is_primary"
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeUnlessAbsent(String.self, forKey: .name)
        self.apiKey = try container.decodeUnlessAbsent(String.self, forKey: .apiKey).map(Secret.init)
        self.baseURL = try container.decodeClearable(String.self, forKey: .baseURL)
        self.extraHeaders = try container.decodeUnlessAbsent([String: String].self, forKey: .extraHeaders)
        self.isPrimary = try container.decodeUnlessAbsent(Bool.self, forKey: .isPrimary)
    }
}
