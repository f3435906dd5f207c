import Foundation

/// Which inference profiles `GET /v1/bedrock/models` lists: `ARCHESTRA_BEDROCK_ALLOWED_PROVIDERS`
/// (comma-separated provider prefixes, e.g. `anthropic,amazon`) and
/// `ARCHESTRA_BEDROCK_ALLOWED_INFERENCE_REGIONS` (comma-separated region prefixes, e.g.
/// `us,global`). Unset means all. A profile id is `<region prefix>.<provider>.<model>`
/// (`us.anthropic.claude-sonnet-4-20250514-v1:0`): the region prefix must equal one allowed
/// entry and the provider must start with one, both case-insensitively.
package struct BedrockInferenceProfileFilter: Sendable, Equatable {
    package let allowedProviders: [String]?
    package let allowedRegions: [String]?

    package init(allowedProviders: [String]?, allowedRegions: [String]?) {
        self.allowedProviders = allowedProviders
        self.allowedRegions = allowedRegions
    }

    init(environment: ProviderEnvironment) {
        self.init(
            allowedProviders: Self.list(environment.string("ARCHESTRA_BEDROCK_ALLOWED_PROVIDERS")),
            allowedRegions: Self.list(environment.string("ARCHESTRA_BEDROCK_ALLOWED_INFERENCE_REGIONS"))
        )
    }

    static func list(_ text: String?) -> [String]? {
        guard let text else { return nil }
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        return items.isEmpty ? nil : items
    }

    package func allows(profileID: String) -> Bool {
        let parts = profileID.lowercased().split(separator: ".", maxSplits: 2).map(String.init)
        guard parts.count == 3 else { return self.allowedProviders == nil && self.allowedRegions == nil }
        if let regions = self.allowedRegions, !regions.contains(parts[0]) { return false }
        if let providers = self.allowedProviders, !providers.contains(where: { parts[1].hasPrefix($0) }) { return false }
        return true
    }
}
