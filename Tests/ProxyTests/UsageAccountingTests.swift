import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Proxy
import Testing
import WireFormats

/// Token usage read from each dialect into one record, logged per request.
@Suite(.timeLimit(.minutes(1)))
struct UsageAccountingTests {
    // MARK: reading usage, without a server

    /// The scanner's object decoded whole, to see exactly which object it found.
    private static func decodeJSONValue(_ object: UnsafeRawBufferPointer) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(object))
    }

    @Test("the scanner finds the last object-valued key, skips null values and escaped look-alikes")
    func scanner() {
        let text = #"{"a":"say \"usage\": {\"x\":1}","usage":{"n":1,"s":"}{"},"b":[{"usage":null}]}"#
        #expect(JSONObjectScanner.lastObject(forKey: "usage", in: ByteBuffer(string: text), read: Self.decodeJSONValue) == ["n": 1, "s": "}{"])
        #expect(JSONObjectScanner.lastObject(forKey: "usage", in: ByteBuffer(string: #"{"usage":null}"#), read: Self.decodeJSONValue) == nil)
        #expect(JSONObjectScanner.lastObject(forKey: "usage", in: ByteBuffer(string: #"{"usage":{"cut":"#), read: Self.decodeJSONValue) == nil)
        #expect(JSONObjectScanner.lastObject(forKey: "usage", in: ByteBuffer(string: #"{"other":1}"#), read: Self.decodeJSONValue) == nil)
    }

    @Test("OpenAI: chat usage and Responses usage; chunks without usage cost no parse")
    func openAI() {
        let dialect = OpenAIDialect()
        #expect(dialect.usage(inResponseBody: ByteBuffer(string: #"{"usage":{"prompt_tokens":9,"completion_tokens":4}}"#)) == TokenUsage(inputTokens: 9, outputTokens: 4))
        #expect(dialect.usage(inStreamMessage: ByteBuffer(string: "data: {\"choices\":[],\"usage\":null}\n\n")) == nil)
        #expect(dialect.usage(inStreamMessage: ByteBuffer(string: "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n")) == nil)
        let completed = "event: response.completed\ndata: {\"response\":{\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}}\n\n"
        #expect(dialect.usage(inStreamMessage: ByteBuffer(string: completed)) == TokenUsage(inputTokens: 5, outputTokens: 7))
    }

    @Test("Anthropic: message_start's input and message_delta's cumulative output, cache tokens counted as input")
    func anthropic() {
        let dialect = AnthropicDialect()
        var usage = TokenUsage()
        let start = #"event: message_start"# + "\n" + #"data: {"type":"message_start","message":{"usage":{"input_tokens":46,"cache_creation_input_tokens":2,"cache_read_input_tokens":1,"output_tokens":3}}}"# + "\n\n"
        let delta = "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":120}}\n\n"
        let text = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"usage\"}}\n\n"
        for event in [start, text, delta] {
            if let found = dialect.usage(inStreamMessage: ByteBuffer(string: event)) { usage.merge(found) }
        }
        #expect(usage == TokenUsage(inputTokens: 49, outputTokens: 120, cacheReadTokens: 1, cacheWriteTokens: 2))
    }

    @Test("Gemini: usageMetadata, thoughts counted as output, the last element of a JSON array wins")
    func gemini() {
        let dialect = GeminiDialect()
        let array = "[{\"usageMetadata\": {\"promptTokenCount\": 32, \"thoughtsTokenCount\": 42}}\n,\r\n{\"usageMetadata\": {\"promptTokenCount\": 32, \"candidatesTokenCount\": 13, \"thoughtsTokenCount\": 42}}\n]"
        #expect(dialect.usage(inResponseBody: ByteBuffer(string: array)) == TokenUsage(inputTokens: 32, outputTokens: 55, reasoningTokens: 42))
        #expect(dialect.usage(inStreamMessage: ByteBuffer(string: "data: {\"candidates\": []}\r\n\r\n")) == nil)
    }

    @Test("Cohere: billed units of message-end")
    func cohere() {
        let end = #"event: message-end"# + "\n" + #"data: {"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":135,"output_tokens":21},"tokens":{"input_tokens":1645,"output_tokens":33}}}}"# + "\n\n"
        #expect(CohereDialect().usage(inStreamMessage: ByteBuffer(string: end)) == TokenUsage(inputTokens: 135, outputTokens: 21))
    }

    // MARK: through the proxy

    @Test("input and output tokens appear in the request log line, for streams and whole bodies of every dialect", arguments: [
        UsageCase(
            route: "/v1/anthropic/v1/messages", upstreamPath: "/v1/messages", variable: "ARCHESTRA_ANTHROPIC_BASE_URL", header: ("x-api-key", "k"),
            contentType: "text/event-stream",
            chunks: ["event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":11,\"output_tokens\":1}}}\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\nevent: message_d", "elta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":6}}\n\n"],
            expected: TokenUsage(inputTokens: 11, outputTokens: 6)
        ),
        UsageCase(
            route: "/v1/gemini/v1beta/models/m:streamGenerateContent", upstreamPath: "/v1beta/models/{target}", variable: "ARCHESTRA_GEMINI_BASE_URL",
            header: ("x-goog-api-key", "k"), contentType: "application/json",
            chunks: ["[{\"usageMetadata\": {\"promptTokenCount\": 4}}\n,\r\n", "{\"usageMetadata\": {\"promptTokenCount\": 4, \"candidatesTokenCount\": 2}}\n]"],
            expected: TokenUsage(inputTokens: 4, outputTokens: 2)
        ),
        UsageCase(
            route: "/v1/cohere/chat", upstreamPath: "/v2/chat", variable: "ARCHESTRA_COHERE_BASE_URL", header: ("authorization", "Bearer k"),
            contentType: "application/json",
            chunks: [#"{"id":"c1","finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":5,"output_tokens":2},"tokens":{"input_tokens":70,"output_tokens":2}}}"#],
            expected: TokenUsage(inputTokens: 5, outputTokens: 2)
        ),
        UsageCase(
            route: "/v1/openai/chat/completions", upstreamPath: "/v1/chat/completions", variable: "ARCHESTRA_OPENAI_BASE_URL", header: ("authorization", "Bearer k"),
            contentType: "text/event-stream",
            chunks: ["data: {\"choices\":[{\"delta\":{}}],\"usage\":null}\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":3}}\n\ndata: [DONE]\n\n"],
            expected: TokenUsage(inputTokens: 8, outputTokens: 3)
        ),
    ])
    func usageIsLogged(_ usageCase: UsageCase) async throws {
        let (logger, logs) = capturingLogger()
        try await withUpstream(cannedUpstream(path: usageCase.upstreamPath, contentType: usageCase.contentType, chunks: usageCase.chunks)) { port in
            let base = usageCase.variable == "ARCHESTRA_OPENAI_BASE_URL" ? "http://127.0.0.1:\(port)/v1" : "http://127.0.0.1:\(port)"
            try await withProxy(upstreamPort: port, environment: [usageCase.variable: base], logger: logger) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(
                        // Asking for usage, so the proxy relays the OpenAI usage chunk rather than dropping it.
                        nativeRequest(proxy + usageCase.route, json: #"{"model":"m","stream":true,"stream_options":{"include_usage":true}}"#, headers: [usageCase.header]),
                        timeout: .seconds(10)
                    )
                    #expect(try await response.bodyText() == usageCase.chunks.joined())
                }
            }
        }
        let line = try #require(requestLogLines(logs).first)
        #expect(line.metadata["usage.input_tokens"]?.description == usageCase.expected.inputTokens.map(String.init))
        #expect(line.metadata["usage.output_tokens"]?.description == usageCase.expected.outputTokens.map(String.init))
    }
}

extension UsageAccountingTests {
    @Test("a long chunked body's usage is read from its tail, whatever the chunk size", arguments: [997, 65_536, 300_000])
    func usageFromTheTailOfALongBody(chunkSize: Int) async throws {
        let body = #"{"pad":""# + String(repeating: "x", count: 250_000) + #"","usage":{"prompt_tokens":12,"completion_tokens":34}}"#
        let bytes = Array(body.utf8)
        let chunks = stride(from: 0, to: bytes.count, by: chunkSize).map { String(decoding: bytes[$0..<min($0 + chunkSize, bytes.count)], as: UTF8.self) }
        let (logger, logs) = capturingLogger()
        try await withUpstream(cannedUpstream(path: "/v1/embeddings", contentType: "application/json", chunks: chunks)) { port in
            try await withProxy(upstreamPort: port, logger: logger) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(
                        nativeRequest("\(proxy)/v1/openai/embeddings", json: #"{"model":"m"}"#, headers: [("authorization", "Bearer k")]),
                        timeout: .seconds(10)
                    )
                    #expect(try await response.bodyText(limit: 1 << 22) == body)
                }
            }
        }
        let line = try #require(requestLogLines(logs).first)
        #expect(line.metadata["usage.input_tokens"]?.description == "12")
        #expect(line.metadata["usage.output_tokens"]?.description == "34")
    }
}

struct UsageCase: Sendable, CustomTestStringConvertible {
    let route: String
    let upstreamPath: String
    let variable: String
    let header: (String, String)
    let contentType: String
    let chunks: [String]
    let expected: TokenUsage

    var testDescription: String { self.route }
}
