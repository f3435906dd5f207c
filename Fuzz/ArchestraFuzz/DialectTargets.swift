import Foundation
import NIOCore
import Proxy
import WireFormats

/// The provider dialects' request summarisers and usage readers: a client's body before
/// anything else has looked at it, and an upstream's stream messages and answers.
enum DialectTargets {
    static let dialects: [(dialect: any ProviderDialect, paths: [String])] = [
        (OpenAIDialect(), ["/chat/completions", "/responses", "/embeddings", "/openai/deployments/d/chat/completions"]),
        (AnthropicDialect(), ["/v1/messages", "/v1/messages/count_tokens"]),
        (GeminiDialect(), ["/v1beta/models/gemini-2.0-flash:generateContent", "/v1beta/models/m:streamGenerateContent"]),
        (BedrockDialect(), ["/model/anthropic.claude-3-haiku-20240307-v1:0/converse", "/model/x/converse-stream", "/converse"]),
        (CohereDialect(), ["/v2/chat", "/v2/embed"]),
    ]

    static let strictJSON = ProcessInfo.processInfo.environment["ARCHESTRA_FUZZ_STRICT_JSON"] == "1"

    /// Every dialect summarises the input as a body for each of its JSON paths, and, when the
    /// input starts with a path line, for that path too. Invariant: a summariser either throws
    /// its typed `ProxyError` or accepts a body the proxy's own JSON parser (`JSONValue`, which
    /// the policies use) reads too.
    static func summarisers(_ bytes: [UInt8]) {
        var inputs: [(path: String?, body: [UInt8])] = [(nil, bytes)]
        if bytes.first == UInt8(ascii: "/"), let (line, rest) = splitFirstLine(bytes) { inputs.append((line, rest)) }
        for (path, body) in inputs {
            let buffer = ByteBuffer(bytes: body)
            for (dialect, paths) in self.dialects {
                for nativePath in path.map({ [$0] }) ?? paths {
                    _ = dialect.requiresJSONBody(nativePath: nativePath)
                    _ = dialect.modelIsInPath(nativePath: nativePath)
                    let summary: RequestSummary
                    do {
                        summary = try dialect.summarize(requestBody: buffer, nativePath: nativePath)
                    } catch {
                        continue
                    }
                    // What the summariser lets through, the policies and translators parse next.
                    // Known and open (Fuzz/crashes/summarisers/README.md): the summariser does not
                    // check the values it does not read (a raw control character or a bad escape
                    // in a string), so by default only UTF-8 is required of an accepted body;
                    // ARCHESTRA_FUZZ_STRICT_JSON=1 requires that JSONValue parses it.
                    if self.strictJSON {
                        precondition((try? JSONValue(parsing: Data(body))) != nil, "\(type(of: dialect)) accepted a body JSONValue cannot parse")
                    } else {
                        precondition(String(validating: body, as: UTF8.self) != nil, "\(type(of: dialect)) accepted a body that is not UTF-8")
                    }
                    _ = summary
                    _ = dialect.upstreamBody(buffer, nativePath: nativePath)
                }
            }
        }
    }

    /// Every dialect reads usage from the input as a stream message and as a whole answer.
    static func usage(_ bytes: [UInt8]) {
        let buffer = ByteBuffer(bytes: bytes)
        for (dialect, _) in self.dialects {
            _ = dialect.usage(inStreamMessage: buffer)
            _ = dialect.usage(inResponseBody: buffer)
        }
    }
}
