package import Foundation
import WireFormats

/// Imports raw-chunk fixtures — one JSON `data:` payload per line, no HTTP envelope, as
/// vercel/ai keeps them (`*.chunks.txt`) — as a server-sent event stream of the provider the user
/// names, answering a synthetic request the user can edit.
///
/// The SSE envelope is rebuilt, so the frames are not wire bytes: the provenance says so. Each
/// payload becomes `data: <line>\n\n`, preceded by `event: <type>` for dialects whose streams
/// name their events (Anthropic Messages, OpenAI Responses, Cohere v2) when the payload has a
/// string `type`. A line that is not JSON stops the import: it would be a hollow frame.
package struct RawChunkImporter: Sendable {
    /// The provider the stream is of (its route and dialect), e.g. `anthropic`.
    package var provider: String
    package var request: RawChunkRequest

    package init(provider: String, request: RawChunkRequest) {
        self.provider = provider
        self.request = request
    }

    /// Whether `path` names a raw-chunk fixture (vercel/ai's naming).
    package static func isChunkFile(_ path: String) -> Bool {
        path.hasSuffix(".chunks.txt")
    }

    package func convert(text: String, label: String = "<memory>") throws -> Cassette {
        var frames: [CassetteFrame] = []
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        for (index, line) in lines.enumerated() {
            guard let payload = try? JSONValue(parsing: Data(line.utf8)) else {
                throw CassetteImportError.unknownShape(path: label, interaction: 0, field: "line \(index + 1)", found: "not a JSON payload")
            }
            var event = ""
            if self.namesEvents, let type = payload["type"]?.stringValue, !type.contains("\n") { event = "event: \(type)\n" }
            frames.append(CassetteFrame(offsetMs: 0, body: CassetteBody(encoding: .utf8, data: "\(event)data: \(line)\n\n")))
        }
        guard !frames.isEmpty else {
            throw CassetteImportError.unknownShape(path: label, interaction: 0, field: "body", found: "no payload lines")
        }
        let request = CassetteRequest(
            method: self.request.method.uppercased(),
            path: self.request.path,
            headers: [CassetteHeader("content-type", "application/json")],
            body: CassetteBody(bytes: self.request.body ?? Data(#"{"stream":true}"#.utf8))
        )
        let response = CassetteResponse(status: 200, headers: [CassetteHeader("content-type", "text/event-stream")], stream: frames)
        return Cassette(
            provenance: CassetteProvenance(
                kind: .converted,
                tool: CassetteImporter.tool,
                provider: self.provider,
                originalFormat: "raw chunks (one JSON data payload per line, vercel/ai fixtures)",
                notes: "The SSE envelope (event and data lines) and the request were synthesised: the capture kept only the data payloads. Payload bytes are as captured."
            ),
            interactions: [CassetteInteraction(request: request, response: response)]
        )
    }

    /// Streams that carry `event:` lines: Anthropic's, Cohere v2's, and OpenAI's Responses API.
    private var namesEvents: Bool {
        switch self.provider {
        case "anthropic", "cohere": return true
        default: return self.request.path.contains("/responses")
        }
    }
}

/// The request a raw-chunk fixture's stream answers, which the fixture does not hold: given on
/// the command line (`--path`, `--method`, `--request-body`) and editable in the cassette after.
package struct RawChunkRequest: Sendable {
    package var method: String
    /// e.g. `/v1/messages`
    package var path: String
    /// `{"stream":true}` when not given.
    package var body: Data?

    package init(method: String = "POST", path: String, body: Data? = nil) {
        self.method = method
        self.path = path
        self.body = body
    }
}
