import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RouterTranslation
import WireFormats

/// What the model router sends to the target provider for one request, and how the answer comes
/// back: decided from the operation, the target's ``ModelRouterTarget`` and the client's body.
struct ModelRouterPlan: Sendable {
    enum Relay: Sendable {
        /// The upstream speaks OpenAI: its answer is relayed as any provider route relays.
        case passThrough
        /// The answer is translated (``TranslatedAnswerRelay``) into chat or Responses.
        case translated(any ChatTranslator, ChatCompletionRequest, RouterAnswerFormat)
        /// Embeddings over the target's own API: one upstream call per request.
        case embeddings(any EmbeddingsTranslator, EmbeddingsRequest, [TranslatedRequest])
    }

    /// Relative to the provider's API root, without the query.
    var operationPath: String
    var query: String?
    var body: ByteBuffer
    var isStreaming: Bool
    var dropped: [DroppedContent]
    var relay: Relay

    /// Whether the upstream's answer is read by the proxy (then it must not be compressed).
    var translatesAnswer: Bool {
        if case .passThrough = self.relay { return false }
        return true
    }

    /// - Parameter isStreaming: the body's `stream`, as the router already read it.
    static func make(
        operation: ModelRouterRoute.Operation, body: ByteBuffer, isStreaming: Bool, model: QualifiedModelID, provider: ResolvedProvider
    ) throws -> ModelRouterPlan {
        let target = provider.declaration.modelRouter
        let data = Data(buffer: body)
        switch operation {
        case .chatCompletions:
            switch target.chat {
            case .openAIWire:
                return try self.passThrough("/chat/completions", body: body, isStreaming: isStreaming, model: model, provider: provider)
            case .translated(let translator):
                let request = try self.decode(ChatCompletionRequest.self, from: data)
                return try self.translated(request, translator: translator, model: model, format: .chat, dropped: [])
            }
        case .responses:
            if target.servesResponsesNatively {
                return try self.passThrough("/responses", body: body, isStreaming: isStreaming, model: model, provider: provider)
            }
            let request = try self.decode(ResponsesRequest.self, from: data)
            let responses = ResponsesOverChatTranslator()
            let (chatRequest, dropped) = try responses.chatRequest(for: request)
            let translator: any ChatTranslator
            switch target.chat {
            case .openAIWire: translator = OpenAICompatibleChatTranslator()
            case .translated(let native): translator = native
            }
            return try self.translated(chatRequest, translator: translator, model: model, format: .responses(request, responses), dropped: dropped)
        case .embeddings:
            switch target.embeddings {
            case .openAIWire:
                return try self.passThrough("/embeddings", body: body, isStreaming: false, model: model, provider: provider)
            case .translated(let translatorFor):
                guard let translator = translatorFor(model.nativeModel, provider) else {
                    throw TranslationError.unsupported(
                        "embeddings with \(model.nativeModel): the router embeds on \(provider.declaration.id) with its embeddings models only")
                }
                let request = try self.decode(EmbeddingsRequest.self, from: data)
                let requests = try translator.upstreamRequests(for: request, model: model.nativeModel)
                guard let first = requests.first else { throw TranslationError.invalidRequest(field: "input", message: "'input' is empty.") }
                let (path, query) = self.split(first.operationPath)
                return ModelRouterPlan(
                    operationPath: path, query: query, body: ByteBuffer(data: first.body), isStreaming: false,
                    dropped: requests.flatMap(\.dropped), relay: .embeddings(translator, request, requests))
            case .unavailable:
                throw TranslationError.unsupported("embeddings: \(provider.declaration.id) has no embeddings API")
            }
        case .models:
            preconditionFailure("GET /models is answered before a plan is made")
        }
    }

    /// OpenAI-wire target: the client's bytes with only `model` rewritten.
    private static func passThrough(
        _ operation: String, body: ByteBuffer, isStreaming: Bool, model: QualifiedModelID, provider: ResolvedProvider
    ) throws -> ModelRouterPlan {
        guard let rewritten = ModelFieldRewriter.replacingModel(in: body, with: model.nativeModel) else {
            throw ProxyError.malformedJSON("field 'model' must be a string")
        }
        let path = provider.upstreamURL.operationPath(for: ProxyRoute(providerID: provider.declaration.id, profileID: nil, nativePath: operation))
        return ModelRouterPlan(operationPath: path, query: nil, body: rewritten, isStreaming: isStreaming, dropped: [], relay: .passThrough)
    }

    private static func translated(
        _ request: ChatCompletionRequest, translator: any ChatTranslator, model: QualifiedModelID, format: RouterAnswerFormat, dropped: [DroppedContent]
    ) throws -> ModelRouterPlan {
        let upstream = try translator.upstreamRequest(for: request, model: model.nativeModel)
        let (path, query) = self.split(upstream.operationPath)
        return ModelRouterPlan(
            operationPath: path, query: query, body: ByteBuffer(data: upstream.body), isStreaming: upstream.isStreaming,
            dropped: dropped + upstream.dropped, relay: .translated(translator, request, format))
    }

    /// A client body the typed models cannot read: 400 naming the field, never quoting a value.
    private static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw ProxyError.malformedJSON(Self.describe(error))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "field '\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field '\(path(context))' has the wrong type"
        case .dataCorrupted(let context):
            let where_ = path(context)
            return where_.isEmpty ? "the body is not valid JSON" : "field '\(where_)' is invalid: \(context.debugDescription)"
        @unknown default:
            return "the body is not valid JSON"
        }
    }

    /// `"/v1beta/models/m:streamGenerateContent?alt=sse"` → path and query.
    static func split(_ operationPath: String) -> (path: String, query: String?) {
        guard let mark = operationPath.firstIndex(of: "?") else { return (operationPath, nil) }
        return (String(operationPath[..<mark]), String(operationPath[operationPath.index(after: mark)...]))
    }

    /// The target's required headers (a client's own value wins); and when the proxy reads the
    /// answer, an uncompressed JSON body: the client's `accept-encoding` was meant for the answer
    /// it will receive, not for the upstream's.
    func adjustHeaders(_ headers: inout HTTPHeaders, required: [(name: String, value: String)]) {
        for header in required where !headers.contains(name: header.name) {
            headers.add(name: header.name, value: header.value)
        }
        guard self.translatesAnswer else { return }
        headers.remove(name: "accept-encoding")
        headers.replaceOrAdd(name: "content-type", value: "application/json")
        if self.isStreaming { headers.remove(name: "accept") }
    }
}
