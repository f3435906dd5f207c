import Foundation
import Recorder
import Testing

@Suite("CassetteRedactor")
struct CassetteRedactorTests {
    let redactor = CassetteRedactor()

    @Test("authorization keeps its scheme and loses its credential", arguments: ["Authorization", "proxy-authorization"])
    func authorizationKeepsScheme(name: String) {
        #expect(redactor.redact(headerValue: "Bearer sk-live-123", named: name) == "Bearer <redacted>")
        #expect(redactor.redact(headerValue: "sk-live-123", named: name) == "<redacted>")
    }

    @Test(
        "key headers are replaced whole",
        arguments: ["api-key", "x-api-key", "X-Goog-Api-Key", "x-amz-security-token"]
    )
    func keyHeaders(name: String) {
        #expect(redactor.redact(headerValue: "secret-value", named: name) == "<redacted>")
    }

    @Test("cookies keep their names and set-cookie keeps its attributes")
    func cookies() {
        #expect(redactor.redact(headerValue: "a=1; b=2", named: "Cookie") == "a=<redacted>; b=<redacted>")
        #expect(
            redactor.redact(headerValue: "__cf_bm=abc; path=/; HttpOnly", named: "set-cookie")
                == "__cf_bm=<redacted>; path=/; HttpOnly"
        )
    }

    @Test("other headers are untouched")
    func otherHeaders() {
        #expect(redactor.redact(headerValue: "application/json", named: "content-type") == "application/json")
    }

    @Test("secret query parameters are replaced, others kept in order")
    func queryParameters() {
        #expect(
            redactor.redact(path: "/v1beta/models/g:streamGenerateContent?alt=sse&key=AIzaXYZ")
                == "/v1beta/models/g:streamGenerateContent?alt=sse&key=%3Credacted%3E"
        )
        #expect(
            redactor.redact(path: "/x?api_key=1&access_token=2&X-Amz-Signature=3&X-Amz-Credential=4&keep=5")
                == "/x?api_key=%3Credacted%3E&access_token=%3Credacted%3E&X-Amz-Signature=%3Credacted%3E&X-Amz-Credential=%3Credacted%3E&keep=5"
        )
        #expect(redactor.redact(path: "/v1/models") == "/v1/models")
    }

    @Test("OAuth JSON token fields are replaced in place without re-serialising")
    func oauthJSON() {
        let body = #"{"access_token" : "ya29.secret","expires_in":3599,"refresh_token":"1//r\"x","id_token":"eyJ","token_type":"Bearer"}"#
        #expect(
            redactor.redact(text: body)
                == #"{"access_token" : "<redacted>","expires_in":3599,"refresh_token":"<redacted>","id_token":"<redacted>","token_type":"Bearer"}"#
        )
    }

    @Test("form-encoded client secrets and tokens are replaced")
    func formBodies() {
        #expect(
            redactor.redact(text: "grant_type=refresh_token&client_secret=shh&refresh_token=abc&client_id=me")
                == "grant_type=refresh_token&client_secret=<redacted>&refresh_token=<redacted>&client_id=me"
        )
    }

    @Test("STS XML credentials are replaced")
    func stsXML() {
        let xml = "<Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>wJalr</SecretAccessKey><SessionToken>IQoJ</SessionToken></Credentials>"
        #expect(
            redactor.redact(text: xml)
                == "<Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey><redacted></SecretAccessKey><SessionToken><redacted></SessionToken></Credentials>"
        )
        #expect(redactor.redact(text: #"{"SessionToken":"IQoJ","SecretAccessKey":"wJ"}"#) == #"{"SessionToken":"<redacted>","SecretAccessKey":"<redacted>"}"#)
    }

    @Test("a whole interaction is scrubbed everywhere and no secret survives encoding")
    func wholeInteraction() throws {
        let interaction = CassetteInteraction(
            request: CassetteRequest(
                method: "POST",
                path: "/token?key=AIzaSECRET",
                headers: [CassetteHeader("Authorization", "Bearer sk-SECRET"), CassetteHeader("x-api-key", "SECRET")],
                body: CassetteBody(bytes: Array("client_secret=SECRET".utf8))
            ),
            response: CassetteResponse(
                status: 200,
                headers: [CassetteHeader("Set-Cookie", "sid=SECRET; Secure")],
                stream: [CassetteFrame(offsetMs: 0, bytes: Array(#"data: {"access_token":"SECRET"}\#n\#n"#.utf8))]
            )
        )
        let cassette = Cassette(provenance: CassetteProvenance(kind: .recorded), interactions: [redactor.redact(interaction)])
        let text = String(decoding: try cassette.encoded(), as: UTF8.self)
        #expect(!text.contains("SECRET"))
        #expect(text.contains("Bearer <redacted>"))
    }
}
