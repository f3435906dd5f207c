import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import MockProviders
import Proxy
import Testing
import WireFormats
import TestSupport

/// `GET /v1/bedrock/models`: every ListInferenceProfiles page, filtered by provider and region.
@Suite(.timeLimit(.minutes(1)))
struct BedrockDiscoveryTests {
    @Test("the filters keep region prefixes that match exactly and providers that match by prefix")
    func filter() {
        let filter = BedrockInferenceProfileFilter(allowedProviders: ["anthropic", "ama"], allowedRegions: ["us", "global"])
        #expect(filter.allows(profileID: "us.anthropic.claude-sonnet-4-20250514-v1:0"))
        #expect(filter.allows(profileID: "global.amazon.nova-2-lite-v1:0"))
        #expect(!filter.allows(profileID: "eu.anthropic.claude-sonnet-4-20250514-v1:0"))
        #expect(!filter.allows(profileID: "us.meta.llama3-3-70b-instruct-v1:0"))
        #expect(!filter.allows(profileID: "usa.anthropic.x"))
        #expect(BedrockInferenceProfileFilter(allowedProviders: nil, allowedRegions: nil).allows(profileID: "apac.amazon.nova-micro-v1:0"))
    }

    @Test("the model list follows every page and applies the filters", arguments: [
        ([:], 12),
        (["ARCHESTRA_BEDROCK_ALLOWED_PROVIDERS": "anthropic"], 5),
        (["ARCHESTRA_BEDROCK_ALLOWED_PROVIDERS": "anthropic, amazon", "ARCHESTRA_BEDROCK_ALLOWED_INFERENCE_REGIONS": "us,global"], 5),
    ])
    func modelList(filters: [String: String], expected: Int) async throws {
        try await withRunningServices({ report in
            [Application(router: BedrockEmulator.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { await report($0.localAddress?.port ?? 0) }, logger: Logger(label: "test.bedrock"))]
        }) { bedrock in
            var environment = filters
            environment["ARCHESTRA_BEDROCK_BASE_URL"] = "http://127.0.0.1:\(bedrock)"
            environment["AWS_ENDPOINT_URL_BEDROCK"] = "http://127.0.0.1:\(bedrock)"
            environment["ARCHESTRA_CHAT_BEDROCK_API_KEY"] = AWSMockCredentialAuthority.bedrockAPIKey
            environment["ARCHESTRA_BEDROCK_MODELS_PAGE_SIZE"] = "5"
            try await withProxy(upstreamPort: bedrock, environment: environment) { proxy in
                try await withTestClient { client in
                    var request = HTTPClientRequest(url: "\(proxy)/v1/bedrock/models")
                    request.method = .GET
                    let response = try await client.execute(request, timeout: .seconds(10))
                    #expect(response.status == .ok)
                    let list = try JSONValue(parsing: Data(try await response.bodyText().utf8))
                    let ids = list["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                    #expect(ids.count == expected)
                    #expect(Set(ids).count == ids.count)
                }
            }
        }
    }

    @Test("without a control-plane URL for a non-AWS runtime URL, /models says which variable to set")
    func controlPlaneNotConfigured() async throws {
        try await withUpstream({ _ in }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort, environment: ["ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:\(upstreamPort)"]) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(HTTPClientRequest(url: "\(proxy)/v1/bedrock/models"), timeout: .seconds(10))
                    #expect(response.status.code == 503)
                    #expect(try await response.bodyText().contains("ARCHESTRA_BEDROCK_CONTROL_PLANE_URL"))
                }
            }
        }
    }
}
