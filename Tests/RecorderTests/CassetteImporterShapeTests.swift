import Foundation
import Recorder
import Testing

/// Shapes the importer must read, and shapes it must refuse with the file, the interaction and
/// the field — never a hollow cassette (status 0, empty bodies) with exit 0.
@Suite("CassetteImporter: every shape read or refused")
struct CassetteImporterShapeTests {
    let importer = CassetteImporter()

    static func vcrPy(request: String = "    body: null\n", response: String) -> String {
        """
        interactions:
        - request:
            method: POST
            uri: https://api.openai.com/v1/chat/completions
            headers:
              content-type:
              - application/json
        \(request)  response:
            headers:
              content-type:
              - application/json
        \(response)
        version: 1
        """
    }

    @Test("newer pydantic-ai serialisers: body {type, content} and an integer status")
    func typedBodies() throws {
        let yaml = Self.vcrPy(
            request: "    body:\n      type: json\n      content:\n        model: gpt-4o\n        stream: false\n",
            response: "    status: 200\n    body:\n      type: text\n      content: '{\"id\":\"chatcmpl-1\"}'"
        )
        let interaction = try #require(try importer.convert(yaml: yaml).interactions.first)
        #expect(interaction.response.status == 200)
        #expect(interaction.response.body?.data == #"{"id":"chatcmpl-1"}"#)
        #expect(interaction.request.body?.data == #"{"model":"gpt-4o","stream":false}"#)
        #expect(interaction.request.body?.reserialized == true)
    }

    @Test("a base64 content is decoded")
    func base64Content() throws {
        let yaml = Self.vcrPy(response: "    status:\n      code: 201\n      message: Created\n    body:\n      type: base64\n      content: eyJvayI6dHJ1ZX0=")
        let interaction = try #require(try importer.convert(yaml: yaml).interactions.first)
        #expect(interaction.response.status == 201)
        #expect(interaction.response.body?.data == #"{"ok":true}"#)
    }

    @Test(
        "unknown shapes stop the import, naming the file, the interaction and the field",
        arguments: [
            ("    body:\n      string: ok", "response.status: missing, expected an HTTP status code"),
            ("    status:\n      code: OK\n    body:\n      string: ok", "response.status.code: found `OK`, expected an HTTP status code"),
            ("    status: 0\n    body:\n      string: ok", "response.status: found `0`, expected an HTTP status code"),
            ("    status: 200\n    body:\n      bytes: abc", "response.body: a mapping with keys {bytes}, expected `string` or `content`"),
            ("    status: 200\n    body:\n    - a", "response.body: found a list"),
            ("    status: 200\n    body:\n      type: base64\n      content: '%%%'", "response.body.content: type base64 but not valid base64"),
        ])
    func refused(response: String, message: String) {
        let yaml = Self.vcrPy(response: response)
        #expect {
            _ = try importer.convert(yaml: yaml, label: "fixtures/x.yaml")
        } throws: { error in
            "\(error)" == "fixtures/x.yaml: interaction 0: \(message); nothing was written"
        }
    }

    @Test("a URI fragment is not part of the request and is dropped")
    func fragment() throws {
        let yaml = Self.vcrPy(response: "    status: 200\n    body:\n      string: ok").replacingOccurrences(of: "/v1/chat/completions", with: "/v1/chat/completions?x=1#stream")
        #expect(try importer.convert(yaml: yaml).interactions.first?.request.path == "/v1/chat/completions?x=1")
    }

    @Test("go-vcr form fields missing from the URL join its query; a form body's do not")
    func goVCRForm() throws {
        func yaml(url: String, body: String, contentType: String) -> String {
            """
            version: 2
            interactions:
            - id: 0
              request:
                body: "\(body)"
                form:
                  api-version:
                  - 2024-10-21
                  grant_type:
                  - client_credentials
                headers:
                  Content-Type:
                  - \(contentType)
                url: \(url)
                method: POST
              response:
                body: "{}"
                headers: {}
                status: 200 OK
                code: 200
                duration: 1ms
            """
        }
        let query = try importer.convert(yaml: yaml(url: "https://x.openai.azure.com/openai/deployments/d/chat/completions", body: "{}", contentType: "application/json"))
        #expect(query.interactions.first?.request.path == "/openai/deployments/d/chat/completions?api-version=2024-10-21&grant_type=client_credentials")
        let kept = try importer.convert(yaml: yaml(url: "https://x/y?api-version=2024-10-21", body: "grant_type=client_credentials", contentType: "application/x-www-form-urlencoded"))
        #expect(kept.interactions.first?.request.path == "/y?api-version=2024-10-21")
    }

    @Test("go-vcr without code falls back to its status line")
    func goVCRStatusLine() throws {
        let yaml = """
            version: 2
            interactions:
            - request:
                url: https://api.openai.com/v1/models
                method: GET
              response:
                body: "{}"
                status: 404 Not Found
            """
        #expect(try importer.convert(yaml: yaml).interactions.first?.response.status == 404)
    }
}
