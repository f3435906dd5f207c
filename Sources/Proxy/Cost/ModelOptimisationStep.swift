import Foundation
import HTTPTypes
package import Gateway
import NIOCore
import NIOFoundationCompat
package import WireFormats

/// Pipeline step, after the body is read: the model optimisation rules of GATEWAY.md §5.
///
/// The enabled rules of the request's provider are tried oldest first; the first whose
/// conditions all hold (``OptimisationConditions``) rewrites the body's top-level `model` to the
/// rule's target before anything else looks at it, so spending limits, tool policies, the
/// upstream and the log all see the model actually used. The record keeps the client's model as
/// ``RequestLogRecord/baselineModel``, which prices what the rule saved.
///
/// Rules apply to the chat operations (those whose tool traffic the policies judge: OpenAI chat
/// and Responses, Anthropic messages, Cohere v2 chat, …) whose body names the model. Where the
/// dialect says the URL names it (``ProviderDialect/modelIsInPath(nativePath:)``: Gemini, Bedrock,
/// Azure deployments) a direct route's request is left as it is; the model router's requests to those providers are rewritten before translation
/// (``ProxyPipeline/handleModelRouter(_:route:logger:)``).
///
/// A provider with no enabled rule costs one dictionary look-up: the body is not parsed.
package struct ModelOptimisationStep: Sendable {
    let directory: any CredentialDirectory

    package init(directory: any CredentialDirectory) {
        self.directory = directory
    }

    package func optimise(_ exchange: inout ProxyExchange) async throws(ProxyError) {
        guard exchange.request.method == .post,
            ToolTraffic.format(for: exchange.clientDialect, operationPath: exchange.operationPath) != nil,
            !exchange.upstreamDialect.modelIsInPath(nativePath: exchange.operationPath),
            case .collected(let body) = exchange.request.body,
            let requested = exchange.summary.model,
            let target = try await self.targetModel(provider: exchange.provider.declaration.id, model: requested, body: body),
            let rewritten = ModelFieldRewriter.replacingModel(in: body, with: target)
        else { return }
        exchange.request.body = .collected(rewritten)
        exchange.summary.model = target
        exchange.record.baselineModel = requested
        exchange.record.model = target
    }

    /// The model the first matching rule of `provider` sends the request to; `nil` when no rule
    /// applies, or the one that does names the model already asked for.
    func targetModel(provider: String, model: String, body: ByteBuffer) async throws(ProxyError) -> String? {
        let rules = try await self.directory.lookup { try await self.directory.optimisationRules() }
        guard !rules.isEmpty(provider: provider), let json = try? JSONValue(parsing: Data(buffer: body)) else { return nil }
        guard let rule = rules.firstMatch(provider: provider, request: PromptSizeEstimate.facts(of: json)), rule.targetModel != model else {
            return nil
        }
        return rule.targetModel
    }
}

/// What the optimisation conditions read from a request body, without a tokenizer.
///
/// The estimate counts the characters of every string and member name below the body's top
/// level — messages, system prompt, tool definitions (names, descriptions, schemas) — the
/// top-level `model` and the other top-level options' names left out, at four
/// characters a token, rounded up: the usual rule of thumb for English text with OpenAI's and
/// Anthropic's tokenizers. It decides between a small and a large model, where a few percent do
/// not matter; what the request cost is counted from the provider's reported usage.
package enum PromptSizeEstimate {
    static let charactersPerToken = 4

    package static func facts(of body: JSONValue) -> OptimisationFacts {
        var characters = 0
        if case .object(let members) = body {
            for (key, value) in members where key != "model" {
                Self.countCharacters(in: value, into: &characters)
            }
        }
        let tokens = (characters + Self.charactersPerToken - 1) / Self.charactersPerToken
        return OptimisationFacts(estimatedPromptTokens: tokens, hasTools: Self.declaresTools(body))
    }

    /// `tools` (every chat dialect; Bedrock's under `toolConfig`) or OpenAI's legacy `functions`,
    /// non-empty.
    static func declaresTools(_ body: JSONValue) -> Bool {
        let lists = [body["tools"], body["functions"], body["toolConfig"]?["tools"]]
        return lists.contains { !($0?.arrayValue?.isEmpty ?? true) }
    }

    private static func countCharacters(in value: JSONValue, into count: inout Int) {
        switch value {
        case .string(let text): count += text.count
        case .array(let items): for item in items { Self.countCharacters(in: item, into: &count) }
        case .object(let members):
            for (key, member) in members {
                count += key.count
                Self.countCharacters(in: member, into: &count)
            }
        case .null, .bool, .int, .double: break
        }
    }
}
