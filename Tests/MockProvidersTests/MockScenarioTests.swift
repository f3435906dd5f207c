import Foundation
import HTTPTypes
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

@Suite("Scripted failures")
struct MockScenarioTests {
    typealias Support = EmulatorTestSupport
    static let chat: JSONValue = ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "one two three four"]]]
    static let streamedChat: JSONValue = ["model": "gpt-4o-mini", "stream": true, "messages": [["role": "user", "content": "one two three four"]]]

    @Test("specs parse with parameters, and unknown names or bad parameters are rejected")
    func parsing() throws {
        let scenario = try MockScenario(parsing: " rate-limit ;Retry-After=2; fail-count=1 ")
        #expect(scenario.name == .rateLimit)
        #expect(scenario.parameters == ["retry-after": "2", "fail-count": "1"])
        #expect(scenario.spec == "rate-limit; fail-count=1; retry-after=2")
        #expect(throws: MockScenarioParseError.self) { try MockScenario(parsing: "rate-limits") }
        #expect(throws: MockScenarioParseError.self) { try MockScenario(parsing: "hang; nonsense") }
        let split = try MockScenario.split(model: "gpt-4o-mini@slow-stream;delay-ms=5")
        #expect(split.model == "gpt-4o-mini")
        #expect(split.scenario?.name == .slowStream)
        #expect(try MockScenario.split(model: "gpt-4o").scenario == nil)
    }

    @Test("rate-limit is a 429 with retry-after and exhausted x-ratelimit headers, from the header or the model suffix")
    func rateLimit() async throws {
        try await Support.makeApplication().test(.router) { client in
            let byHeader = try await Support.post(client, "/v1/chat/completions", Self.chat, scenario: "rate-limit; retry-after=3")
            var suffixed = try #require(Self.chat.objectValue)
            suffixed["model"] = "gpt-4o-mini@rate-limit"
            let bySuffix = try await Support.post(client, "/v1/chat/completions", .object(suffixed))
            for (response, retryAfter) in [(byHeader, "3"), (bySuffix, "1")] {
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == retryAfter)
                #expect(response.headers[try #require(HTTPField.Name("x-ratelimit-remaining-requests"))] == "0")
                let error = try #require(try Support.json(response)["error"])
                #expect(error["code"] == "rate_limit_exceeded")
                #expect(error["message"]?.stringValue?.contains("gpt-4o-mini") == true)
                #expect(error["message"]?.stringValue?.contains("@") == false)
            }
        }
    }

    @Test("server-error is a 500 and unavailable a 503, with server_error bodies", arguments: [("server-error", 500), ("unavailable", 503)])
    func serverErrors(name: String, status: Int) async throws {
        try await Support.makeApplication().test(.router) { client in
            let response = try await Support.post(client, "/v1/embeddings", ["model": "text-embedding-3-small", "input": "x"], scenario: name)
            #expect(response.status.code == status)
            #expect(try Support.json(response)["error"]?["type"] == "server_error")
        }
    }

    @Test("fail-count fails only the first N requests carrying the same spec")
    func failCount() async throws {
        try await Support.makeApplication().test(.router) { client in
            var statuses: [Int] = []
            for _ in 0..<3 {
                statuses.append(try await Support.post(client, "/v1/chat/completions", Self.chat, scenario: "server-error; fail-count=2; id=a").status.code)
            }
            let otherSpec = try await Support.post(client, "/v1/chat/completions", Self.chat, scenario: "server-error; fail-count=2; id=b")
            #expect(statuses == [500, 500, 200])
            #expect(otherSpec.status.code == 500)
        }
    }

    @Test("slow-stream delivers the same stream as without the scenario")
    func slowStream() async throws {
        try await Support.makeApplication().test(.router) { client in
            let plain = try await Support.post(client, "/v1/chat/completions", Self.streamedChat)
            let slow = try await Support.post(client, "/v1/chat/completions", Self.streamedChat, scenario: "slow-stream; delay-ms=1")
            #expect(String(buffer: plain.body) == String(buffer: slow.body))
        }
    }

    @Test("malformed-frame puts a broken data frame in the middle of the stream")
    func malformedFrame() async throws {
        try await Support.makeApplication().test(.router) { client in
            let response = try await Support.post(client, "/v1/chat/completions", Self.streamedChat, scenario: "malformed-frame")
            let events = Support.events(response)
            let broken = try #require(events.firstIndex { $0.data == "{not json" })
            #expect(broken > 0 && broken < events.count - 1)
            #expect(events.last?.data == "[DONE]")
            #expect(events.filter { (try? JSONValue(parsing: Data($0.data.utf8))) == nil }.map(\.data) == ["{not json", "[DONE]"])
        }
    }

    @Test("hang gives up with a 504 after max-ms")
    func hangGivesUp() async throws {
        try await Support.makeApplication().test(.router) { client in
            let response = try await Support.post(client, "/v1/chat/completions", Self.chat, scenario: "hang; max-ms=1")
            #expect(response.status == .gatewayTimeout)
            #expect(try Support.json(response)["error"]?["type"] == "server_error")
        }
    }

    @Test("an invalid scenario in the header is a 400")
    func invalidHeaderScenario() async throws {
        try await Support.makeApplication().test(.router) { client in
            let response = try await Support.post(client, "/v1/chat/completions", Self.chat, scenario: "explode")
            #expect(response.status == .badRequest)
            #expect(try Support.json(response)["error"]?["param"] == "x-mock-scenario")
        }
    }
}
