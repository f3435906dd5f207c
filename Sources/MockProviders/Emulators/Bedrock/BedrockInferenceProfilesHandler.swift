import Foundation
package import Hummingbird
import NIOCore
import WireFormats

/// The control plane's `GET /inference-profiles` (ListInferenceProfiles, PROTOCOLS.md §5.7):
/// system-defined profiles across providers and geographies (`us.`, `eu.`, `apac.`, `global.`),
/// paginated by `maxResults` and an opaque `nextToken`.
package struct BedrockInferenceProfilesHandler: Sendable {
    /// `(profile id, display name)`; the provider is the segment after the geography prefix.
    package static let profiles: [(id: String, name: String)] = [
        ("us.anthropic.claude-sonnet-4-20250514-v1:0", "US Anthropic Claude Sonnet 4"),
        ("eu.anthropic.claude-sonnet-4-20250514-v1:0", "EU Anthropic Claude Sonnet 4"),
        ("apac.anthropic.claude-sonnet-4-20250514-v1:0", "APAC Anthropic Claude Sonnet 4"),
        ("global.anthropic.claude-sonnet-4-20250514-v1:0", "Global Anthropic Claude Sonnet 4"),
        ("us.anthropic.claude-3-5-haiku-20241022-v1:0", "US Anthropic Claude 3.5 Haiku"),
        ("us.amazon.nova-pro-v1:0", "US Nova Pro"),
        ("eu.amazon.nova-pro-v1:0", "EU Nova Pro"),
        ("apac.amazon.nova-micro-v1:0", "APAC Nova Micro"),
        ("us.meta.llama3-3-70b-instruct-v1:0", "US Meta Llama 3.3 70B Instruct"),
        ("us.deepseek.r1-v1:0", "US DeepSeek-R1"),
        ("eu.mistral.pixtral-large-2502-v1:0", "EU Mistral Pixtral Large 25.02"),
        ("global.amazon.nova-2-lite-v1:0", "Global Amazon Nova 2 Lite"),
    ]

    static let defaultPageSize = 1000

    package init() {}

    package func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var pageSize = Self.defaultPageSize
        if let text = query.get("maxResults") {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw BedrockEmulatorError.validation("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000")
            }
            pageSize = value
        }
        let type = query.get("type") ?? "SYSTEM_DEFINED"
        guard type == "SYSTEM_DEFINED" || type == "APPLICATION" else {
            throw BedrockEmulatorError.validation("1 validation error detected: Value at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]")
        }
        let all = type == "APPLICATION" ? [] : Self.profiles
        guard let page = ListPage(all, size: pageSize, token: query.get("nextToken")) else {
            throw BedrockEmulatorError.validation("The provided nextToken is invalid.")
        }
        var object: [String: JSONValue] = ["inferenceProfileSummaries": .array(page.items.map { Self.summary(id: $0.id, name: $0.name) })]
        if let next = page.nextToken { object["nextToken"] = .string(next) }
        return BedrockResponse.json(.object(object))
    }

    static func summary(id: String, name: String) -> JSONValue {
        let geography = id.split(separator: ".").first.map(String.init) ?? "us"
        let model = id.split(separator: ".").dropFirst().joined(separator: ".")
        let regions: [String] = switch geography {
        case "eu": ["eu-central-1", "eu-west-1"]
        case "apac": ["ap-northeast-1", "ap-southeast-2"]
        case "global": ["us-east-1", "eu-west-1", "ap-northeast-1"]
        default: ["us-east-1", "us-west-2"]
        }
        let home = regions[0]
        return .object([
            "inferenceProfileName": .string(name),
            "inferenceProfileId": .string(id),
            "inferenceProfileArn": .string("arn:aws:bedrock:\(home):\(AWSMockCredentialAuthority.accountID):inference-profile/\(id)"),
            "models": .array(regions.map { .object(["modelArn": .string("arn:aws:bedrock:\($0)::foundation-model/\(model)")]) }),
            "status": "ACTIVE",
            "type": "SYSTEM_DEFINED",
            "description": .string("Routes requests to \(name) across \(geography) regions."),
            "createdAt": "2025-05-22T00:00:00Z",
            "updatedAt": "2025-05-22T00:00:00Z",
        ])
    }
}
