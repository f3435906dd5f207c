import Foundation
import Gateway
import HTTPTypes
import NIOCore
import WireFormats

/// The model router's `GET /models`: the provider-qualified chat and embedding models of every
/// provider the caller's credential reaches, read from the synced lists in the store
/// (``ModelListSynchronizer``), never from upstream. OpenAI's list shape, sorted.
struct ModelRouterModelList: Sendable {
    let directory: any CredentialDirectory

    /// `GET /models`, or with `modelID` `GET /models/<id>` (one model object, 404 when the
    /// credential reaches no such model).
    func respond(caller: Caller, providers: [ResolvedProvider], modelID: String? = nil) async throws(ProxyError) -> ProxyResponse {
        let reachable = try await self.reachableKeyIDs(caller: caller, providers: providers)
        let configured = Dictionary(providers.map { ($0.declaration.id, $0) }, uniquingKeysWith: { first, _ in first })
        let lists = try await self.directory.lookup { try await self.directory.modelLists() }
        var seen = Set<String>()
        var entries: [(id: String, created: Int, ownedBy: String)] = []
        for list in lists {
            guard let provider = configured[list.provider] else { continue }
            switch list.source {
            case .providerKey(let id): guard reachable.contains(id) else { continue }
            case .proxyIdentity:
                // The proxy's own identity serves any gateway credential without a key of its own.
                guard provider.authorizer.obtainsOwnCredentials || provider.declaration.credentialOptional else { continue }
            }
            for model in list.models {
                for prefix in Self.prefixes(provider: list.provider, model: model.id) {
                    let id = "\(prefix):\(model.id)"
                    if seen.insert(id).inserted { entries.append((id, model.created, prefix)) }
                }
            }
        }
        entries.sort { $0.id < $1.id }
        let data: [JSONValue] = entries.map {
            ["id": .string($0.id), "object": "model", "created": .int($0.created), "owned_by": .string($0.ownedBy)]
        }
        let document: JSONValue
        if let modelID {
            guard let model = data.first(where: { $0["id"]?.stringValue == modelID }) else {
                throw ProxyError.unknownModel(modelID, problem: "is not among the models your credential reaches")
            }
            document = model
        } else {
            document = ["object": "list", "data": .array(data)]
        }
        let body = document.encodedString()
        return ProxyResponse(status: .ok, headers: [.contentType: "application/json"], body: .buffer(ByteBuffer(string: body)))
    }

    /// The provider keys the credential maps; an OAuth client that maps none uses each
    /// provider's primary key (as ``UpstreamKeySelectionStep`` does).
    private func reachableKeyIDs(caller: Caller, providers: [ResolvedProvider]) async throws(ProxyError) -> Set<UUID> {
        switch caller {
        case .virtualKey(let key):
            return Set(key.providerKeyIDs)
        case .oauthClient(let client) where !client.providerKeyIDs.isEmpty:
            return Set(client.providerKeyIDs)
        case .oauthClient:
            var ids = Set<UUID>()
            for provider in providers {
                let id = provider.declaration.id
                if let key = try await self.directory.lookup({ try await self.directory.primaryProviderKey(provider: id) }) { ids.insert(key.id) }
            }
            return ids
        case .anonymous, .providerKey:
            return []
        }
    }

    /// A model's prefixes: its provider's, and an alias's when the model belongs to it
    /// (DeepSeek's Bedrock inference profiles are also `deepseek:`).
    static func prefixes(provider: String, model: String) -> [String] {
        var prefixes = [provider]
        for (alias, target) in QualifiedModelID.aliases.sorted(by: { $0.key < $1.key }) where target == provider {
            if model.split(separator: ".").contains(where: { $0 == alias }) { prefixes.append(alias) }
        }
        return prefixes
    }
}
