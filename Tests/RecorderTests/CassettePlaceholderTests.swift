import Foundation
import Recorder
import Testing

@Suite("Placeholders other recorders leave, bound at replay")
struct CassettePlaceholderTests {
    static let cassette = Cassette(
        provenance: CassetteProvenance(kind: .converted),
        interactions: [
            CassetteInteraction(
                request: CassetteRequest(
                    method: "POST", path: "/v1beta1/projects/<GOOGLE_CLOUD_PROJECT>/locations/<GOOGLE_CLOUD_LOCATION>/x",
                    headers: [CassetteHeader("authorization", "Bearer <redacted>")],
                    body: CassetteBody(encoding: .utf8, data: #"{"project":"<GOOGLE_CLOUD_PROJECT>"}"#)),
                response: CassetteResponse(status: 200, body: CassetteBody(encoding: .utf8, data: #"{"name":"projects/<GOOGLE_CLOUD_PROJECT>"}"#)))
        ])

    @Test("unbound placeholders are found in paths and bodies; <redacted> is not one")
    func unbound() {
        #expect(CassettePlaceholders.unbound(in: Self.cassette) == ["GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION"])
        #expect(CassettePlaceholders.names(in: "Bearer <redacted> <lower_case> <X1>") == ["X1"])
    }

    @Test("binding replaces every occurrence, requests and responses alike")
    func bind() throws {
        let bound = CassettePlaceholders.bind(["GOOGLE_CLOUD_PROJECT": "p1", "GOOGLE_CLOUD_LOCATION": "global"], in: Self.cassette)
        let interaction = try #require(bound.interactions.first)
        #expect(interaction.request.path == "/v1beta1/projects/p1/locations/global/x")
        #expect(interaction.request.body?.data == #"{"project":"p1"}"#)
        #expect(interaction.response.body?.data == #"{"name":"projects/p1"}"#)
        #expect(interaction.request.headers == [CassetteHeader("authorization", "Bearer <redacted>")])
        #expect(CassettePlaceholders.unbound(in: bound) == [])
    }

    @Test("--bind arguments are parsed strictly")
    func parsing() throws {
        #expect(try CassettePlaceholders.bindings(parsing: ["A_B=x=y", "C="]) == ["A_B": "x=y", "C": ""])
        #expect(throws: CassettePlaceholderError.self) { try CassettePlaceholders.bindings(parsing: ["novalue"]) }
        #expect(throws: CassettePlaceholderError.self) { try CassettePlaceholders.bindings(parsing: ["=x"]) }
        #expect(throws: CassettePlaceholderError.self) { try CassettePlaceholders.bindings(parsing: ["lower=x"]) }
    }

    @Test("a miss against a recording with a placeholder suggests --bind")
    func missHint() {
        let miss = CassetteMiss(
            request: "POST /v1/chat/completions", nearest: "POST <GPUSTACK_API_BASE>/chat/completions",
            differences: [CassetteDifference(location: "path", recorded: "<GPUSTACK_API_BASE>/chat/completions", received: "/v1/chat/completions")])
        #expect(miss.description.hasSuffix("(the recording holds placeholder(s) <GPUSTACK_API_BASE>: bind them with --bind GPUSTACK_API_BASE=VALUE)"))
    }
}

@Suite("Form-encoded bodies match as forms")
struct CassetteFormMatchingTests {
    static func request(_ body: String, contentType: String = "application/x-www-form-urlencoded") -> CassetteRequest {
        CassetteRequest(method: "POST", path: "/token", headers: [CassetteHeader("Content-Type", contentType)], body: CassetteBody(encoding: .utf8, data: body))
    }

    let matcher = CassetteMatcher()

    @Test("order and percent-encoding do not matter; secrets are checked for presence only")
    func equivalentForms() {
        let recorded = Self.request("grant_type=refresh_token&refresh_token=%3Credacted%3E&client_id=app%201&client_secret=<redacted>")
        let received = Self.request("client_secret=real-secret&client_id=app+1&grant_type=refresh_token&refresh_token=1%2F%2Freal")
        #expect(matcher.differences(received, recorded: recorded) == [])
    }

    @Test("a different value, or a missing secret, is a difference")
    func differentForms() {
        let recorded = Self.request("grant_type=refresh_token&client_id=a&client_secret=<redacted>")
        #expect(matcher.differences(Self.request("grant_type=refresh_token&client_id=b&client_secret=s"), recorded: recorded).map(\.location) == ["body.client_id"])
        #expect(matcher.differences(Self.request("grant_type=refresh_token&client_id=a"), recorded: recorded).map(\.location) == ["body.client_secret"])
    }

    @Test("without the form content type, bodies stay byte-compared")
    func notAForm() {
        let recorded = Self.request("a=1&b=2", contentType: "text/plain")
        #expect(!matcher.differences(Self.request("b=2&a=1", contentType: "text/plain"), recorded: recorded).isEmpty)
    }
}
