package import AsyncHTTPClient
package import Foundation
package import HTTPTypes
package import Logging
import NIOCore
import NIOHTTP1
import WireFormats

/// `GET /v1/bedrock[/<profile-id>]/models`: the account's system-defined inference profiles from
/// the control plane's ListInferenceProfiles (every page), filtered by
/// ``BedrockInferenceProfileFilter``, as an OpenAI-style model list. Authenticated like the
/// runtime routes (the same authorizer kind). Lists fetched with the proxy's own credential (IAM
/// or the fallback key) are cached for `ttl`; a list fetched with a client's key is not shared.
package struct BedrockModelsEndpoint: LocalEndpoint {
    package var method: HTTPRequest.Method { .get }
    package var nativePath: String { "/models" }

    let controlPlaneURL: String?
    let authorizer: any UpstreamAuthorizer
    let filter: BedrockInferenceProfileFilter
    let pageSize: Int
    let cache: BedrockModelListCache

    package init(controlPlaneURL: String?, authorizer: any UpstreamAuthorizer, filter: BedrockInferenceProfileFilter, pageSize: Int = 100, ttl: TimeInterval = 300) {
        self.controlPlaneURL = controlPlaneURL
        self.authorizer = authorizer
        self.filter = filter
        self.pageSize = pageSize
        self.cache = BedrockModelListCache(ttl: ttl)
    }

    package func respond(credential: UpstreamCredential, httpClient: HTTPClient, logger: Logger) async throws(ProxyError) -> ProxyResponse {
        guard let controlPlaneURL else {
            throw .providerNotConfigured(provider: "bedrock", variable: "ARCHESTRA_BEDROCK_CONTROL_PLANE_URL")
        }
        let profiles: [JSONValue]
        if let cached = await self.cache.current() {
            profiles = cached
        } else {
            let (fetched, source) = try await self.fetchAll(controlPlaneURL: controlPlaneURL, credential: credential, httpClient: httpClient, logger: logger)
            // Only the proxy's own credentials' list is shared: a list fetched with one caller's
            // key must not answer another caller whose key may see other models.
            if source == .workloadIdentity || source == .fallback { await self.cache.store(fetched) }
            profiles = fetched
        }
        let models: [JSONValue] = profiles.compactMap { profile in
            guard let id = profile["inferenceProfileId"]?.stringValue, self.filter.allows(profileID: id) else { return nil }
            let parts = id.split(separator: ".", maxSplits: 2).map(String.init)
            return .object([
                "id": .string(id), "object": "model", "created": .int(0),
                "owned_by": .string(parts.count == 3 ? parts[1] : "aws"),
                "display_name": profile["inferenceProfileName"] ?? .null,
                "inference_profile_arn": profile["inferenceProfileArn"] ?? .null,
                "region_prefix": .string(parts.count == 3 ? parts[0] : ""),
            ])
        }
        let body = JSONValue.object(["object": "list", "data": .array(models)]).encodedString()
        return ProxyResponse(status: .ok, headers: [.contentType: "application/json"], body: .buffer(ByteBuffer(string: body)))
    }

    /// Every page, following `nextToken`; bounded so a control plane that never stops paging
    /// cannot keep a request alive for ever.
    func fetchAll(controlPlaneURL: String, credential: UpstreamCredential, httpClient: HTTPClient, logger: Logger) async throws(ProxyError) -> ([JSONValue], CredentialSource) {
        var profiles: [JSONValue] = []
        var nextToken: String?
        var source = CredentialSource.none
        for _ in 0..<50 {
            var query = "maxResults=\(self.pageSize)&type=SYSTEM_DEFINED"
            if let nextToken { query += "&nextToken=" + BedrockURLResolver.encodeSegment(nextToken) }
            var request = UpstreamRequest(method: .GET, url: controlPlaneURL + "/inference-profiles?" + query, headers: HTTPHeaders(), body: nil as RequestBodySource?)
            source = try await self.authorizer.authorize(&request, credential: credential)
            let outgoing = HTTPClientRequest(request)
            let page: JSONValue
            do {
                let response = try await httpClient.execute(outgoing, deadline: .now() + .seconds(30), logger: logger)
                let bytes = try await response.body.collect(upTo: 8 * 1024 * 1024)
                guard response.status == .ok else {
                    let code = response.headers.first(name: "x-amzn-errortype")?.split(separator: ":").first.map(String.init) ?? "HTTP \(response.status.code)"
                    throw ProxyError.upstreamUnreachable(provider: "bedrock", reason: "ListInferenceProfiles answered \(response.status.code) \(code)")
                }
                page = try JSONValue(parsing: Data(bytes.readableBytesView))
            } catch let error as ProxyError {
                throw error
            } catch {
                throw UpstreamFailure.proxyError(for: error, provider: "bedrock")
            }
            profiles += page["inferenceProfileSummaries"]?.arrayValue ?? []
            guard let token = page["nextToken"]?.stringValue, !token.isEmpty else { return (profiles, source) }
            nextToken = token
        }
        return (profiles, source)
    }

    /// `ARCHESTRA_BEDROCK_CONTROL_PLANE_URL`, else `AWS_ENDPOINT_URL_BEDROCK`, else the runtime
    /// URL with `bedrock-runtime` replaced by `bedrock` (the control plane's host); `nil` when
    /// the runtime URL is not an AWS one.
    static func controlPlaneURL(_ environment: ProviderEnvironment) throws(ConfigurationError) -> String? {
        if let url = try environment.url("ARCHESTRA_BEDROCK_CONTROL_PLANE_URL") { return url }
        if let url = try environment.url("AWS_ENDPOINT_URL_BEDROCK") { return url }
        guard let base = environment.baseURL, var components = URLComponents(string: base), let host = components.host,
            host.hasPrefix("bedrock-runtime")
        else { return nil }
        components.host = "bedrock" + host.dropFirst("bedrock-runtime".count)
        components.path = ""
        return components.string
    }
}

/// The cached profile list, with its expiry.
actor BedrockModelListCache {
    let ttl: TimeInterval
    private var entry: (profiles: [JSONValue], expires: Date)?

    init(ttl: TimeInterval) { self.ttl = ttl }

    func current() -> [JSONValue]? {
        guard let entry, entry.expires > Date() else { return nil }
        return entry.profiles
    }

    func store(_ profiles: [JSONValue]) {
        self.entry = (profiles, Date().addingTimeInterval(self.ttl))
    }
}
