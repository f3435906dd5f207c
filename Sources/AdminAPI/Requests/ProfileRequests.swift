/// `POST /api/profiles` and `POST /api/llm-proxies`.
struct CreateProfileRequest: Decodable {
    var name: String
    var considerContextUntrusted: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case considerContextUntrusted = "consider_context_untrusted"
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decode(String.self, forKey: .name)
        self.considerContextUntrusted = try container.decodeIfPresent(Bool.self, forKey: .considerContextUntrusted)
    }
}

/// `PATCH /api/profiles/{id}` and `PATCH /api/llm-proxies/{id}`: absent fields stay as they are.
struct UpdateProfileRequest: Decodable {
    var name: String?
    var considerContextUntrusted: Bool?

    typealias CodingKeys = CreateProfileRequest.CodingKeys

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decodeUnlessAbsent(String.self, forKey: .name)
        self.considerContextUntrusted = try container.decodeUnlessAbsent(Bool.self, forKey: .considerContextUntrusted)
    }
}
