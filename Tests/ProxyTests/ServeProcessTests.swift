import AsyncHTTPClient
import Foundation
import Hummingbird
import MockProviders
import NIOCore
import TestSupport
import Testing

/// `archestra serve` and `archestra dev` as processes: faults that would kill the process, and what
/// the process prints.
@Suite(.timeLimit(.minutes(2)))
struct ServeProcessTests {
    /// The environment of a child process: nothing inherited from the test runner's shell, so no
    /// stray variable (a CA bundle, a real key) changes what is under test.
    static func childEnvironment(_ variables: [String: String]) -> [String: String] {
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        environment.merge(variables) { _, new in new }
        return environment
    }

    /// A stand-in OpenAI upstream answering every chat completion with a small JSON body.
    static func chatUpstream(_ router: Router<BasicRequestContext>) {
        router.post("/v1/chat/completions") { request, _ -> Response in
            var request = request
            _ = try await request.collectBody(upTo: 1 << 20)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"id":"c","object":"chat.completion","choices":[]}"#))
            )
        }
    }

    static let chatBody = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#

    static func rawChatRequest(extraHeaders: String = "", query: String = "") -> String {
        "POST /v1/openai/chat/completions\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\(extraHeaders)"
            + "Connection: close\r\nContent-Length: \(chatBody.utf8.count)\r\n\r\n\(chatBody)"
    }

    @Test("a request head past 64 KiB behind a pooled upstream connection gets 431 and the proxy lives on (issue 10, item 1)")
    func oversizedHeadAfterPooledConnection() async throws {
        try await withUpstream(Self.chatUpstream) { upstreamPort in
            let environment = Self.childEnvironment([
                "ARCHESTRA_OPENAI_BASE_URL": "http://127.0.0.1:\(upstreamPort)/v1",
                "ARCHESTRA_CHAT_OPENAI_API_KEY": "sk-fallback-for-crash-test",
            ])
            let run = try await runArchestra(["serve"], environment: environment) { port, isRunning in
                try await withTestClient { client in
                    // 1. An ordinary request leaves a warm connection in the upstream pool.
                    let first = try await client.execute(openAIRequest("http://127.0.0.1:\(port)/v1/openai/chat/completions", json: Self.chatBody, key: nil), timeout: .seconds(10))
                    #expect(first.status == .ok)
                    _ = try await first.bodyText()

                    // 2. The request that used to be forwarded with a 70 KB head and kill the process.
                    let padding = String(repeating: "a", count: 70_000)
                    let refused = try await rawHTTPExchange(port: port, request: Self.rawChatRequest(extraHeaders: "X-Pad: \(padding)\r\n"))
                    #expect(rawStatus(refused) == 431)
                    #expect(refused.contains(#""code":"request_header_fields_too_large""#))
                    #expect(isRunning())

                    // 3. The same size in the query string: 414.
                    let longQuery = try await rawHTTPExchange(port: port, request: Self.rawChatRequest(query: "?q=" + String(repeating: "b", count: 66_000)))
                    #expect(rawStatus(longQuery) == 414)
                    #expect(isRunning())

                    // 4. Still serving, over the same pool.
                    let after = try await client.execute(openAIRequest("http://127.0.0.1:\(port)/v1/openai/chat/completions", json: Self.chatBody, key: nil), timeout: .seconds(10))
                    #expect(after.status == .ok)
                    _ = try await after.bodyText()
                }
            }
            #expect(run.termination == .exited(0))
        }
    }

    @Test("at the largest configurable header limit, a head just under it is forwarded and the proxy lives on")
    func largestAllowedHeadIsForwardedSafely() async throws {
        try await withUpstream(Self.chatUpstream) { upstreamPort in
            let environment = Self.childEnvironment([
                "ARCHESTRA_OPENAI_BASE_URL": "http://127.0.0.1:\(upstreamPort)/v1",
                "ARCHESTRA_CHAT_OPENAI_API_KEY": "sk-" + String(repeating: "k", count: 200),
                "ARCHESTRA_MAX_HEADER_BYTES": "48kb",
            ])
            let run = try await runArchestra(["serve"], environment: environment) { port, isRunning in
                try await withTestClient { client in
                    let first = try await client.execute(openAIRequest("http://127.0.0.1:\(port)/v1/openai/chat/completions", json: Self.chatBody, key: nil), timeout: .seconds(10))
                    #expect(first.status == .ok)
                    _ = try await first.bodyText()
                }
                // Head ≈ 48 KiB − 300 bytes: accepted, forwarded with the fallback key, answered.
                let padding = String(repeating: "a", count: 48 * 1024 - 400)
                for _ in 0..<3 {
                    let answer = try await rawHTTPExchange(port: port, request: Self.rawChatRequest(extraHeaders: "X-Pad: \(padding)\r\n"))
                    #expect(rawStatus(answer) == 200)
                }
                #expect(isRunning())
            }
            guard case .exited = run.termination else {
                Issue.record("ended by a signal: \(run.termination)")
                return
            }
        }
    }

    @Test("serve --log-level trace never prints a provider key, from start to SIGTERM (issue 10, item 2)")
    func serveTraceLogHasNoKeys() async throws {
        let keys = [
            "ARCHESTRA_CHAT_OPENAI_API_KEY": "sk-openai-LEAKCHECK-0001",
            "ARCHESTRA_CHAT_ANTHROPIC_API_KEY": "sk-ant-LEAKCHECK-0002",
            "ARCHESTRA_CHAT_GEMINI_API_KEY": "gemini-LEAKCHECK-0003",
            "ARCHESTRA_CHAT_COHERE_API_KEY": "cohere-LEAKCHECK-0004",
            "ARCHESTRA_CHAT_MISTRAL_API_KEY": "mistral-LEAKCHECK-0005",
            "ARCHESTRA_CHAT_GROQ_API_KEY": "gsk-LEAKCHECK-0006",
            "AWS_ACCESS_KEY_ID": "AKIALEAKCHECK0007",
            "AWS_SECRET_ACCESS_KEY": "aws-secret-LEAKCHECK-0008",
        ]
        try await withUpstream(Self.chatUpstream) { upstreamPort in
            var environment = Self.childEnvironment(keys)
            environment["ARCHESTRA_OPENAI_BASE_URL"] = "http://127.0.0.1:\(upstreamPort)/v1"
            let run = try await runArchestra(["serve", "--log-level", "trace"], environment: environment) { port, _ in
                try await withTestClient { client in
                    // The fallback key goes on the wire; the log must still not show it.
                    let answer = try await client.execute(openAIRequest("http://127.0.0.1:\(port)/v1/openai/chat/completions", json: Self.chatBody, key: nil), timeout: .seconds(10))
                    #expect(answer.status == .ok)
                    _ = try await answer.bodyText()
                }
            }
            #expect(run.termination == .exited(0))
            // The log was captured, at trace level, with the lifecycle's per-service lines that
            // used to print the configuration: the check below is not vacuous.
            #expect(run.output.contains("proxy listening"))
            #expect(run.output.contains(" trace "))
            #expect(run.output.contains("ProxyService"))
            for (variable, value) in keys where variable != "AWS_ACCESS_KEY_ID" {
                let leaked = run.output.contains(value)  // not in the message: the log is long
                #expect(!leaked, "\(variable)'s value is in the log")
            }
        }
    }

    @Test("dev --log-level trace never prints an emulator key, from start to SIGTERM (issue 10, item 2)")
    func devTraceLogHasNoKeys() async throws {
        // `dev` sets every fallback key to one its emulator accepts; those are the values to find.
        let secrets = EmulatorCatalog.all.flatMap { declaration -> [String] in
            let endpoint = EmulatorEndpoint(provider: declaration.provider, host: "127.0.0.1", port: 1, basePath: declaration.basePath, apiKey: declaration.apiKey)
            let secretVariables = declaration.environmentVariables(endpoint).filter { variable in
                ["KEY", "SECRET", "TOKEN"].contains { variable.name.contains($0) } && !variable.name.hasSuffix("KEY_ID")
            }
            return [declaration.apiKey] + secretVariables.map(\.value)
        }.filter { $0.count >= 8 }
        #expect(!secrets.isEmpty)
        let run = try await runArchestra(["dev", "--log-level", "trace"], environment: Self.childEnvironment([:])) { port, _ in
            try await withTestClient { client in
                let answer = try await client.execute(openAIRequest("http://127.0.0.1:\(port)/v1/openai/chat/completions", json: Self.chatBody, key: nil), timeout: .seconds(10))
                #expect(answer.status == .ok)
                _ = try await answer.bodyText()
            }
        }
        #expect(run.termination == .exited(0))
        #expect(run.output.contains("proxy listening"))
        for secret in Set(secrets) {
            let leaked = run.output.contains(secret)
            #expect(!leaked, "an emulator key (\(secret.prefix(4))…) is in the log")
        }
    }
}
