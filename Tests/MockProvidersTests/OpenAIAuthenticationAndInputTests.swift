import Foundation
import HTTPTypes
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

@Suite("OpenAI emulator: authentication, bad input, headers")
struct OpenAIAuthenticationAndInputTests {
    typealias Support = EmulatorTestSupport
    static let chatBody = ByteBuffer(string: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#)

    @Test("no Authorization is a 401 with the real API's message and null code")
    func missingKey() async throws {
        try await Support.makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Support.headers(key: nil), body: Self.chatBody)
            #expect(response.status == .unauthorized)
            let error = try #require(try Support.json(response)["error"])
            #expect(error["message"]?.stringValue?.hasPrefix("You didn't provide an API key.") == true)
            #expect(error["type"] == "invalid_request_error")
            #expect(error["code"] == .null && error["param"] == .null)
        }
    }

    @Test("a wrong key is a 401 invalid_api_key that never echoes the whole key")
    func wrongKey() async throws {
        let wrongKey = "sk-abcdefghijklmnopqrstuvwxyz"
        try await Support.makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/models", method: .get, headers: Support.headers(key: wrongKey))
            #expect(response.status == .unauthorized)
            let error = try #require(try Support.json(response)["error"])
            #expect(error["code"] == "invalid_api_key")
            let message = try #require(error["message"]?.stringValue)
            #expect(message.hasPrefix("Incorrect API key provided: sk-ab"))
            #expect(message.contains("wxyz"))
            #expect(!message.contains(wrongKey))
        }
    }

    @Test("header names are case-insensitive and /healthz needs no key")
    func lowercaseHeaderAndHealth() async throws {
        try await Support.makeApplication().test(.router) { client in
            var headers: HTTPFields = [:]
            headers[try #require(HTTPField.Name("authorization"))] = "bearer \(OpenAIEmulator.apiKey)"
            headers[try #require(HTTPField.Name("content-type"))] = "application/json"
            let response = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: Self.chatBody)
            #expect(response.status == .ok)
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
        }
    }

    @Test("every answer carries the real API's informational headers")
    func realHeaders() async throws {
        try await Support.makeApplication().test(.router) { client in
            for response in [
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Support.headers(), body: Self.chatBody),
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Support.headers(key: nil), body: Self.chatBody),
            ] {
                #expect(response.headers[try #require(HTTPField.Name("x-request-id"))]?.hasPrefix("req_") == true)
                #expect(response.headers[try #require(HTTPField.Name("openai-version"))] == "2020-10-01")
                #expect(response.headers[try #require(HTTPField.Name("openai-processing-ms"))] != nil)
                for name in ["x-ratelimit-limit-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-requests",
                             "x-ratelimit-remaining-tokens", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"] {
                    #expect(response.headers[try #require(HTTPField.Name(name))] != nil, "\(name)")
                }
            }
        }
    }

    @Test("bad requests get OpenAI error bodies with honest statuses", arguments: [
        ("/v1/chat/completions", "{not json", "application/json", 400, nil as String?),
        ("/v1/chat/completions", #"{"messages":[]}"#, "application/json", 400, "model"),
        ("/v1/chat/completions", #"{"model":"m"}"#, "application/json", 400, "messages"),
        ("/v1/chat/completions", #"{"model":"m","messages":[],"n":0}"#, "application/json", 400, "n"),
        ("/v1/chat/completions", #"{"model":"m"}"#, "text/plain", 415, nil),
        ("/v1/responses", "[]", "application/json", 400, nil),
        ("/v1/chat/completions", #"{"model":"m@no-such-scenario","messages":[]}"#, "application/json", 400, "x-mock-scenario"),
    ])
    func badInput(path: String, body: String, contentType: String, status: Int, param: String?) async throws {
        try await Support.makeApplication().test(.router) { client in
            var headers = Support.headers()
            headers[.contentType] = contentType
            let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status.code == status)
            let error = try #require(try Support.json(response)["error"])
            #expect(error["type"] == "invalid_request_error")
            #expect(error["param"] == (param.map(JSONValue.string) ?? .null))
            if body == "{not json" {
                #expect(error["message"]?.stringValue?.hasPrefix("We could not parse the JSON body of your request.") == true)
            }
        }
    }

    @Test("a body over the upload limit is a 413 in OpenAI's shape")
    func tooLarge() async throws {
        try await Support.makeApplication().test(.router) { client in
            let padding = String(repeating: "x", count: 3 << 20)
            let body = ByteBuffer(string: #"{"model":"m","messages":[{"role":"user","content":"\#(padding)"}]}"#)
            let response = try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Support.headers(), body: body)
            #expect(response.status == .contentTooLarge)
            #expect(try Support.json(response)["error"]?["type"] == "invalid_request_error")
        }
    }

    @Test("an unknown route is a 404 in OpenAI's shape")
    func unknownRoute() async throws {
        try await Support.makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/nothing", method: .post, headers: Support.headers(), body: Self.chatBody)
            #expect(response.status == .notFound)
            #expect(try Support.json(response)["error"]?["message"] == "Invalid URL (POST /v1/nothing)")
        }
    }
}
