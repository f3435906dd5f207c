package import Foundation

/// A request path under the model router: `/v1/model-router[/<llm-proxy-id>]/<operation>`.
package struct ModelRouterRoute: Sendable, Equatable {
    package enum Operation: String, Sendable, CaseIterable {
        case chatCompletions = "/chat/completions"
        case responses = "/responses"
        case embeddings = "/embeddings"
        case models = "/models"
    }

    package static let prefix = "/v1/model-router"

    /// The LLM proxy named in the path; `nil` for the default one.
    package let llmProxyID: UUID?
    /// `nil` when the path is under the router but names no operation it serves (a 404).
    package let operation: Operation?
    /// `GET /models/<id>`: the model asked for (percent-decoded), with ``operation`` `.models`.
    package let modelID: String?

    package init(llmProxyID: UUID?, operation: Operation?, modelID: String? = nil) {
        self.llmProxyID = llmProxyID
        self.operation = operation
        self.modelID = modelID
    }

    /// `nil` when `rawPath` is not under `/v1/model-router`. A clients configured with
    /// `<proxy>/v1/model-router/<id>/v1` sends a redundant `/v1`, which is accepted.
    package init?(rawPath: String) {
        guard rawPath.hasPrefix(Self.prefix) else { return nil }
        var rest = rawPath.dropFirst(Self.prefix.count)
        guard rest.isEmpty || rest.hasPrefix("/") else { return nil }  // `/v1/model-routerX` is a provider named so
        var id: UUID?
        let afterSlash = rest.dropFirst()
        let segmentEnd = afterSlash.firstIndex(of: "/") ?? afterSlash.endIndex
        if let uuid = UUID(uuidString: String(afterSlash[..<segmentEnd])) {
            id = uuid
            rest = afterSlash[segmentEnd...]
        }
        if rest.hasPrefix("/v1/") { rest = rest.dropFirst("/v1".count) }
        self.llmProxyID = id
        let modelsPrefix = Operation.models.rawValue + "/"
        if rest.hasPrefix(modelsPrefix), rest.count > modelsPrefix.count {
            let raw = String(rest.dropFirst(modelsPrefix.count))
            self.operation = .models
            self.modelID = raw.removingPercentEncoding ?? raw
        } else {
            self.operation = Operation(rawValue: String(rest))
            self.modelID = nil
        }
    }
}
