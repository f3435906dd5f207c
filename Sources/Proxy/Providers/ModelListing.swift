import Foundation
import Gateway
import WireFormats

/// How a provider lists its models, for ``ModelListSynchronizer``: the path to ask (relative to
/// the provider's API root) and how to read the answer.
package enum ModelListing: Sendable {
    /// OpenAI's `GET /models` (`data[].id`); embeddings models are told apart by name.
    case openAI
    /// Anthropic's `GET /v1/models?limit=1000` (`data[].id`), chat only.
    case anthropic
    /// Gemini's `GET /v1beta/models?pageSize=1000` (`models[].name`, `supportedGenerationMethods`).
    case gemini
    /// Cohere's `GET /v1/models?page_size=1000` (`models[].name`, `endpoints`).
    case cohere
    /// The provider's own `/models` local endpoint (Bedrock: ListInferenceProfiles with the
    /// configured provider and region filters, in OpenAI's list shape).
    case localEndpoint

    /// Path and query to request; `nil` for ``localEndpoint``.
    func request(for provider: ResolvedProvider) -> (path: String, query: String?)? {
        switch self {
        case .openAI: return ("/models", nil)
        case .anthropic: return ("/v1/models", "limit=1000")
        // Vertex AI lists Google's publisher models (`publisherModels[]`).
        case .gemini where provider.servesVertexAI: return ("/v1beta1/publishers/google/models", "pageSize=1000")
        case .gemini: return ("/v1beta/models", "pageSize=1000")
        case .cohere: return ("/v1/models", "page_size=1000")
        case .localEndpoint: return nil
        }
    }

    /// The models in a listing body. Throws when the body is not the provider's list shape.
    func models(in body: Data) throws -> [ListedModel] {
        let json = try JSONValue(parsing: body)
        switch self {
        case .openAI, .localEndpoint, .anthropic:
            guard let data = json["data"]?.arrayValue else { throw ModelListingError.unexpectedShape("no 'data' array") }
            return data.compactMap { item in
                guard let id = item["id"]?.stringValue else { return nil }
                let kind: ListedModel.Kind = self == .anthropic ? .chat : Self.kindByName(id)
                let created = item["created"]?.intValue ?? 0
                return ListedModel(id: id, kind: kind, created: created)
            }
        case .gemini where json["publisherModels"] != nil:
            // Vertex AI: `publishers/google/models/<id>`, with no method list; embedding models
            // carry it in the name.
            return (json["publisherModels"]?.arrayValue ?? []).compactMap { item in
                guard let name = item["name"]?.stringValue, let id = name.split(separator: "/").last.map(String.init) else { return nil }
                return ListedModel(id: id, kind: Self.kindByName(id))
            }
        case .gemini:
            guard let models = json["models"]?.arrayValue else { throw ModelListingError.unexpectedShape("no 'models' array") }
            return models.compactMap { item in
                guard let name = item["name"]?.stringValue else { return nil }
                let id = name.hasPrefix("models/") ? String(name.dropFirst("models/".count)) : name
                let methods = Set(item["supportedGenerationMethods"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                if methods.contains("generateContent") { return ListedModel(id: id, kind: .chat) }
                if methods.contains("embedContent") || methods.contains("batchEmbedContents") { return ListedModel(id: id, kind: .embedding) }
                return nil
            }
        case .cohere:
            guard let models = json["models"]?.arrayValue else { throw ModelListingError.unexpectedShape("no 'models' array") }
            return models.compactMap { item in
                guard let name = item["name"]?.stringValue else { return nil }
                let endpoints = Set(item["endpoints"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                if endpoints.contains("chat") { return ListedModel(id: name, kind: .chat) }
                if endpoints.contains("embed") { return ListedModel(id: name, kind: .embedding) }
                return nil
            }
        }
    }

    /// OpenAI-wire lists do not say what a model does; embeddings models carry it in the name.
    static func kindByName(_ id: String) -> ListedModel.Kind {
        id.lowercased().contains("embed") ? .embedding : .chat
    }
}

enum ModelListingError: Error, CustomStringConvertible {
    case unexpectedShape(String)
    case status(Int)

    var description: String {
        switch self {
        case .unexpectedShape(let what): return "the model list is not in the provider's shape (\(what))"
        case .status(let code): return "the provider answered \(code)"
        }
    }
}
