import Foundation
import Recorder
import Testing

@Suite("CassetteMatcher and CassettePlayback")
struct CassetteMatcherTests {
    func request(_ body: String, path: String = "/v1/chat/completions", method: String = "POST") -> CassetteRequest {
        CassetteRequest(method: method, path: path, body: CassetteBody(bytes: Array(body.utf8)))
    }

    @Test("JSON bodies match regardless of key order and whitespace")
    func jsonEquivalence() {
        let matcher = CassetteMatcher()
        #expect(matcher.matches(request(#"{"a":1,"b":[1,2]}"#), recorded: request("{\n  \"b\": [1, 2],\n  \"a\": 1.0\n}")))
        #expect(!matcher.matches(request(#"{"a":1,"b":[2,1]}"#), recorded: request(#"{"a":1,"b":[1,2]}"#)))
    }

    @Test("ignored dotted fields are left out, also inside arrays")
    func ignoredFields() {
        let received = request(#"{"model":"m","stream_options":{"include_usage":true},"metadata":{"user_id":"u1","x":1},"messages":[{"role":"user","name":"a"}]}"#)
        let recorded = request(#"{"model":"m","metadata":{"user_id":"u2","x":1},"messages":[{"role":"user","name":"b"}]}"#)
        #expect(!CassetteMatcher().matches(received, recorded: recorded))
        let matcher = CassetteMatcher(ignoredFields: ["stream_options", "metadata.user_id", "messages.name"])
        #expect(matcher.matches(received, recorded: recorded))
    }

    @Test("non-JSON bodies compare as bytes; method and path must match")
    func bytesMethodPath() {
        let matcher = CassetteMatcher()
        #expect(matcher.matches(request("a=1&b=2"), recorded: request("a=1&b=2")))
        #expect(!matcher.matches(request("a=1&b=2"), recorded: request("b=2&a=1")))
        #expect(!matcher.matches(request("{}", method: "PUT"), recorded: request("{}")))
        #expect(!matcher.matches(request("{}", path: "/v1/responses"), recorded: request("{}")))
    }

    @Test("query is matched unless turned off; secret parameter values never are")
    func query() {
        let recorded = request("", path: "/m:stream?alt=sse&key=%3Credacted%3E")
        #expect(CassetteMatcher().matches(request("", path: "/m:stream?key=AIzaReal&alt=sse"), recorded: recorded))
        #expect(!CassetteMatcher().matches(request("", path: "/m:stream?alt=json&key=k"), recorded: recorded))
        #expect(!CassetteMatcher().matches(request("", path: "/m:stream?alt=sse"), recorded: recorded))
        #expect(CassetteMatcher(matchQuery: false).matches(request("", path: "/m:stream?alt=json"), recorded: recorded))
    }

    @Test("repeated identical requests are answered in recorded order, then miss")
    func repeatsInOrder() async throws {
        let body = #"{"model":"m"}"#
        let interactions = [200, 429, 201].map { status in
            CassetteInteraction(request: request(body), response: CassetteResponse(status: status))
        }
        let playback = CassettePlayback(
            cassettes: [Cassette(provenance: CassetteProvenance(kind: .recorded), interactions: interactions)],
            matcher: CassetteMatcher()
        )
        #expect(try await playback.claim(request(body)).response.status == 200)
        #expect(try await playback.claim(request(body)).response.status == 429)
        #expect(await playback.unplayed().map(\.interactionIndex) == [2])
        #expect(try await playback.claim(request(body)).response.status == 201)
        #expect(await playback.unplayed().isEmpty)
        await #expect(throws: CassetteMiss.self) { try await playback.claim(request(body)) }
    }

    @Test("a miss names the nearest recorded request and the differing JSON paths with both values")
    func missReport() async throws {
        let cassette = Cassette(
            provenance: CassetteProvenance(kind: .recorded),
            interactions: [
                CassetteInteraction(request: request(#"{"x":1}"#, path: "/v1/embeddings"), response: CassetteResponse(status: 200)),
                CassetteInteraction(
                    request: request(#"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"#),
                    response: CassetteResponse(status: 200)
                ),
            ]
        )
        let playback = CassettePlayback(cassettes: [cassette], matcher: CassetteMatcher())
        do {
            _ = try await playback.claim(request(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#))
            Issue.record("expected a miss")
        } catch {
            #expect(error.nearest == "POST /v1/chat/completions")
            #expect(error.differences == [CassetteDifference(location: "body.model", recorded: #""gpt-4o""#, received: #""gpt-4o-mini""#)])
            #expect(error.description.contains(#"body.model: recorded "gpt-4o", received "gpt-4o-mini""#))
        }
    }
}

@Suite("CassettePlayback redaction")
struct CassettePlaybackRedactionTests {
    @Test("a live secret in the request matches the recorded placeholder and never reaches the miss report")
    func liveSecrets() async throws {
        let recorded = CassetteRequest(
            method: "POST",
            path: "/token",
            body: CassetteBody(bytes: Array("grant_type=refresh_token&refresh_token=<redacted>".utf8))
        )
        let playback = CassettePlayback(
            cassettes: [
                Cassette(
                    provenance: CassetteProvenance(kind: .recorded),
                    interactions: [CassetteInteraction(request: recorded, response: CassetteResponse(status: 200))]
                )
            ],
            matcher: CassetteMatcher()
        )
        let live = CassetteRequest(
            method: "POST",
            path: "/token",
            body: CassetteBody(bytes: Array("grant_type=refresh_token&refresh_token=1//live-SECRET".utf8))
        )
        #expect(try await playback.claim(live).response.status == 200)
        do {
            _ = try await playback.claim(
                CassetteRequest(
                    method: "POST",
                    path: "/token?key=SECRET",
                    body: CassetteBody(bytes: Array("grant_type=x&refresh_token=SECRET".utf8))
                )
            )
            Issue.record("expected a miss")
        } catch {
            #expect(!error.description.contains("SECRET"))
            #expect(error.nearestAlreadyPlayed == false)
        }
    }
}

@Suite("CassetteMatcher credentials")
struct CassetteMatcherCredentialTests {
    let recorded = CassetteRequest(
        method: "POST",
        path: "/v1/messages",
        headers: [CassetteHeader("Authorization", "Bearer <redacted>"), CassetteHeader("x-api-key", "<redacted>")]
    )

    func received(_ headers: [CassetteHeader]) -> CassetteRequest {
        CassetteRequest(method: "POST", path: "/v1/messages", headers: headers)
    }

    @Test("credential presence and scheme are checked when asked, values never")
    func presenceAndShape() {
        let matcher = CassetteMatcher(checksCredentialHeaders: true)
        #expect(matcher.matches(received([CassetteHeader("authorization", "Bearer sk-1"), CassetteHeader("X-Api-Key", "k")]), recorded: recorded))
        #expect(
            matcher.differences(received([CassetteHeader("authorization", "Basic abc")]), recorded: recorded)
                == [
                    CassetteDifference(location: "header.authorization", recorded: "scheme bearer", received: "scheme basic"),
                    CassetteDifference(location: "header.x-api-key", recorded: "present", received: "(absent)"),
                ]
        )
        #expect(CassetteMatcher().matches(received([]), recorded: recorded))
    }
}
