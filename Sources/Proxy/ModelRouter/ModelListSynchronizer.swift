package import AsyncHTTPClient
package import Foundation
package import Gateway
package import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ServiceLifecycle
import WireFormats

/// Keeps the model router's model lists in the store: each provider key's list (and the proxy
/// identity's, for keyless upstreams) is fetched from the provider (``ModelListing``) when it has
/// none — a key just created through the admin API or the CLI is listed within one poll — and
/// again every `interval`. A failed sync keeps the previous models and records the reason.
///
/// The store is the shared truth: every replica answers `/models` from it, and a list fetched
/// by one is used by all.
package struct ModelListSynchronizer: Sendable {
    let store: any GatewayStore
    let providers: [ResolvedProvider]
    let httpClient: HTTPClient
    let interval: Duration
    let pollInterval: Duration
    let logger: Logger

    package init(
        store: any GatewayStore, providers: [ResolvedProvider], httpClient: HTTPClient, interval: Duration = .seconds(3600),
        pollInterval: Duration = .seconds(2), logger: Logger
    ) {
        self.store = store
        self.providers = providers
        self.httpClient = httpClient
        self.interval = interval
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// How soon a failed sync is tried again.
    static let retryAfterFailure: TimeInterval = 60

    /// Syncs what is due until cancelled or graceful shutdown.
    package func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.syncDue(now: Date())
                do {
                    try await Task.sleep(for: self.pollInterval)
                } catch {
                    return
                }
            }
        }
    }

    /// One pass: every source without a list, or with one older than the interval.
    package func syncDue(now: Date) async {
        let keys: [ProviderKey]
        let lists: [ModelList]
        do {
            keys = try await self.store.providerKeys()
            lists = try await self.store.modelLists()
        } catch {
            self.logger.warning("model list sync: the store could not be read", metadata: ["error": "\(error)"])
            return
        }
        let bySource = Dictionary(lists.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        let (seconds, _) = self.interval.components
        for (source, provider, key) in self.sources(keys: keys) {
            if let last = bySource[source] {
                // A failed sync is retried within a minute: a provider down at a key's creation
                // must not leave its list empty for an interval.
                let due = last.error == nil ? TimeInterval(seconds) : min(TimeInterval(seconds), Self.retryAfterFailure)
                if now.timeIntervalSince(last.syncedAt) < due { continue }
            }
            if Task.isCancelled { return }
            let previous = lists.first { $0.source == source }
            var list = ModelList(source: source, provider: provider.declaration.id, models: previous?.models ?? [], syncedAt: now)
            do {
                list.models = try await self.fetch(provider: provider, key: key)
            } catch {
                list.error = "\(error)"
                self.logger.info(
                    "model list sync failed", metadata: ["archestra.provider": .string(provider.declaration.id), "error": .string(list.error ?? "")])
            }
            do {
                try await self.store.saveModelList(list)
            } catch {
                self.logger.warning("model list sync: the list could not be stored", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Stored keys of configured providers, then the proxy's identity for each keyless upstream.
    private func sources(keys: [ProviderKey]) -> [(ModelList.Source, ResolvedProvider, ProviderKey?)] {
        var sources: [(ModelList.Source, ResolvedProvider, ProviderKey?)] = []
        for key in keys {
            guard let provider = self.providers.first(where: { $0.declaration.id == key.provider }) else { continue }
            sources.append((.providerKey(key.id), provider, key))
        }
        for provider in self.providers where provider.baseURL != nil {
            // A self-hosted server is listed only where the operator pointed the proxy at one:
            // its default (Ollama's localhost:11434) may be nothing, or someone else's.
            let configuredServer = provider.declaration.credentialOptional && provider.baseURL != provider.declaration.defaultBaseURL
            if provider.authorizer.obtainsOwnCredentials || configuredServer {
                sources.append((.proxyIdentity(provider: provider.declaration.id), provider, nil))
            }
        }
        return sources
    }

    /// The provider's list as `key` (or the proxy's own identity) sees it.
    func fetch(provider: ResolvedProvider, key: ProviderKey?) async throws -> [ListedModel] {
        let listing = provider.declaration.modelRouter.modelListing
        let credential: UpstreamCredential = key.map { .stored($0.secret, source: .fallback) } ?? .none
        guard let request = listing.request(for: provider) else {
            guard let endpoint = provider.localEndpoints.first(where: { $0.nativePath == "/models" }) else {
                throw ModelListingError.unexpectedShape("the provider has no model list endpoint")
            }
            let response = try await endpoint.respond(credential: credential, httpClient: self.httpClient, logger: self.logger)
            guard case .buffer(let body) = response.body.backing else { throw ModelListingError.unexpectedShape("a streamed list") }
            return try listing.models(in: Data(buffer: body))
        }
        guard let baseURL = key?.baseURL ?? provider.baseURL else {
            throw ProxyError.providerNotConfigured(provider: provider.declaration.id, variable: provider.declaration.baseURLVariables.first ?? "")
        }
        let url = try provider.upstreamURL.upstreamURL(baseURL: baseURL, operationPath: request.path, query: request.query, summary: RequestSummary())
        var headers = HTTPHeaders()
        for header in provider.declaration.modelRouter.requiredHeaders { headers.add(name: header.name, value: header.value) }
        for (name, value) in (key?.extraHeaders ?? [:]).sorted(by: { $0.key < $1.key }) { headers.replaceOrAdd(name: name, value: value) }
        var upstream = UpstreamRequest(method: .GET, url: url, headers: headers, body: nil)
        _ = try await provider.authorizer.authorize(&upstream, credential: credential)
        let response = try await self.httpClient.execute(HTTPClientRequest(upstream), deadline: .now() + .seconds(30), logger: self.logger)
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        guard response.status == .ok else { throw ModelListingError.status(Int(response.status.code)) }
        return try listing.models(in: Data(buffer: body))
    }
}
