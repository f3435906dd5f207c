import Foundation
import NIOCore
import Proxy
import Testing

/// The router's pure parts: its paths, provider-qualified model ids, and the byte-exact model
/// rewrite for OpenAI-wire targets.
@Suite
struct ModelRouterParsingTests {
    @Test("paths: with and without an LLM proxy id, a redundant /v1, unknown operations, look-alike providers")
    func routes() throws {
        let id = UUID(uuidString: "6f1c1a52-8e0b-4a8e-9d7e-2b7f3c9d4e11")!
        #expect(ModelRouterRoute(rawPath: "/v1/model-router/chat/completions") == ModelRouterRoute(llmProxyID: nil, operation: .chatCompletions))
        #expect(ModelRouterRoute(rawPath: "/v1/model-router/\(id.uuidString.lowercased())/responses") == ModelRouterRoute(llmProxyID: id, operation: .responses))
        #expect(ModelRouterRoute(rawPath: "/v1/model-router/\(id.uuidString)/v1/embeddings") == ModelRouterRoute(llmProxyID: id, operation: .embeddings))
        #expect(ModelRouterRoute(rawPath: "/v1/model-router/models") == ModelRouterRoute(llmProxyID: nil, operation: .models))
        #expect(ModelRouterRoute(rawPath: "/v1/model-router/files")?.operation == nil)
        #expect(ModelRouterRoute(rawPath: "/v1/model-router") == ModelRouterRoute(llmProxyID: nil, operation: nil))
        #expect(ModelRouterRoute(rawPath: "/v1/model-routerx/chat/completions") == nil)
        #expect(ModelRouterRoute(rawPath: "/v1/openai/chat/completions") == nil)
    }

    @Test("model ids split at the first colon; deepseek is Bedrock; unqualified or empty halves are refused")
    func qualifiedIDs() {
        let bedrock = QualifiedModelID("bedrock:amazon.nova-pro-v1:0")
        #expect(bedrock?.providerID == "bedrock" && bedrock?.nativeModel == "amazon.nova-pro-v1:0")
        let deepseek = QualifiedModelID("deepseek:us.deepseek.r1-v1:0")
        #expect(deepseek?.providerID == "bedrock" && deepseek?.prefix == "deepseek" && deepseek?.nativeModel == "us.deepseek.r1-v1:0")
        #expect(QualifiedModelID("OpenAI:gpt-4o")?.providerID == "openai")
        #expect(QualifiedModelID("gpt-4o") == nil)
        #expect(QualifiedModelID(":gpt-4o") == nil)
        #expect(QualifiedModelID("openai:") == nil)
    }

    @Test("only the top-level model's bytes change: spacing, order, nested model keys and escapes stay")
    func modelRewrite() throws {
        let body = #"{ "messages" : [{"role":"user","content":"say \"model\": x","model":"inner"}],"metadata":{"model":"keep"},  "model" :"openai:gpt-4o" ,"temperature":0.20}"#
        let rewritten = try #require(ModelFieldRewriter.replacingModel(in: ByteBuffer(string: body), with: "gpt-4o"))
        #expect(String(buffer: rewritten) == #"{ "messages" : [{"role":"user","content":"say \"model\": x","model":"inner"}],"metadata":{"model":"keep"},  "model" :"gpt-4o" ,"temperature":0.20}"#)
        let escaped = try #require(ModelFieldRewriter.replacingModel(in: ByteBuffer(string: #"{"model":"a:b"}"#), with: #"we"ird\"#))
        #expect(String(buffer: escaped) == #"{"model":"we\"ird\\"}"#)
        #expect(ModelFieldRewriter.replacingModel(in: ByteBuffer(string: #"{"model":5}"#), with: "x") == nil)
        #expect(ModelFieldRewriter.replacingModel(in: ByteBuffer(string: #"{"messages":[]}"#), with: "x") == nil)
        #expect(ModelFieldRewriter.replacingModel(in: ByteBuffer(string: #"["model"]"#), with: "x") == nil)
    }
}
