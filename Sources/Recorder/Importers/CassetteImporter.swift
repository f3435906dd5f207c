import Foundation
import Yams

/// Converts VCR.py (stock and pydantic-ai), Ruby VCR 6 and go-vcr v4 YAML cassettes into our
/// format.
///
/// Bytes are kept exactly: binary scalars are base64-decoded and stored as they were sent
/// (gzip stays gzip, with its `content-encoding` header, so replay sends it as recorded). The
/// one exception is pydantic-ai's `parsed_body`, where the capture kept only the parsed JSON:
/// such a body is re-serialised compactly in the order written and marked `reserialized`.
package struct CassetteImporter: Sendable {
    package static let tool = "archestra cassette import \(RecorderVersion.current)"

    /// Provenance fields that override what INDEX.md says (from `--source`, `--license`, `--provider`).
    package var overrides: CassetteProvenanceOverrides

    package init(overrides: CassetteProvenanceOverrides = CassetteProvenanceOverrides()) {
        self.overrides = overrides
    }

    /// Reads and converts one file, taking provenance from the nearest `INDEX.md` above it
    /// (if any), then from ``overrides``.
    package func importFile(at path: String) throws -> Cassette {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CassetteImportError.unreadable(path: path)
        }
        var cassette = try self.convert(yaml: text, label: path)
        if let row = try TrafficIndex.row(describing: path) {
            cassette.provenance.provider = row.provider
            cassette.provenance.sourceRepository = row.repository
            cassette.provenance.sourceCommit = row.commit
            cassette.provenance.sourcePath = row.path
            cassette.provenance.license = row.license
        }
        self.overrides.apply(to: &cassette.provenance)
        return cassette
    }

    /// Converts YAML text; `label` only names the input in errors.
    package func convert(yaml: String, label: String = "<memory>") throws -> Cassette {
        guard let root = try Yams.compose(yaml: yaml), let flavour = CassetteImportFlavour.detect(root) else {
            throw CassetteImportError.unrecognisedFormat(path: label)
        }
        let list = flavour == .rubyVCR ? root["http_interactions"] : root["interactions"]
        var interactions: [CassetteInteraction] = []
        var origin: String?
        for node in list?.sequence ?? [] {
            let (interaction, interactionOrigin) = try Self.interaction(node, flavour: flavour)
            interactions.append(interaction)
            origin = origin ?? interactionOrigin
        }
        let provenance = CassetteProvenance(
            kind: .converted,
            upstream: origin,
            recordedAt: interactions.first?.recordedAt,
            tool: Self.tool,
            originalFormat: flavour.rawValue,
            notes: flavour == .pydanticAI
                ? "JSON bodies captured as parsed_body were re-serialised (marked reserialized); SSE bodies are byte-exact."
                : nil
        )
        return Cassette(provenance: provenance, interactions: interactions)
    }

    private static func interaction(_ node: Node, flavour: CassetteImportFlavour) throws -> (CassetteInteraction, String?) {
        guard let requestNode = node["request"], let responseNode = node["response"] else {
            throw CassetteImportError.unsupportedStructure("interaction without request and response")
        }
        let url = YAMLNodeReader.string(requestNode[flavour == .goVCR ? "url" : "uri"]) ?? "/"
        let (origin, host, path) = YAMLNodeReader.splitURL(url)

        var requestBody: CassetteBody?
        var responseBytes: Data?
        var responseReserialized = false
        let status: Int
        var recordedAt: String?
        var durationMs: Int?

        switch flavour {
        case .vcrPy, .pydanticAI:
            if let parsed = requestNode["parsed_body"] {
                requestBody = CassetteBody(bytes: Array(try YAMLNodeReader.compactJSON(parsed).utf8), reserialized: true)
            } else if let bytes = try YAMLNodeReader.bytes(requestNode["body"]), !bytes.isEmpty {
                requestBody = CassetteBody(bytes: bytes)
            }
            if let parsed = responseNode["parsed_body"] {
                responseBytes = Data(try YAMLNodeReader.compactJSON(parsed).utf8)
                responseReserialized = true
            } else {
                responseBytes = try YAMLNodeReader.bytes(responseNode["body"]?["string"])
            }
            status = YAMLNodeReader.string(responseNode["status"]?["code"]).flatMap { Int($0) } ?? 0
        case .rubyVCR:
            if let bytes = try YAMLNodeReader.bytes(requestNode["body"]?["string"]), !bytes.isEmpty {
                requestBody = CassetteBody(bytes: bytes)
            }
            responseBytes = try YAMLNodeReader.bytes(responseNode["body"]?["string"])
            status = YAMLNodeReader.string(responseNode["status"]?["code"]).flatMap { Int($0) } ?? 0
            recordedAt = YAMLNodeReader.string(node["recorded_at"])
        case .goVCR:
            if let bytes = try YAMLNodeReader.bytes(requestNode["body"]), !bytes.isEmpty {
                requestBody = CassetteBody(bytes: bytes)
            }
            responseBytes = try YAMLNodeReader.bytes(responseNode["body"])
            status = YAMLNodeReader.string(responseNode["code"]).flatMap { Int($0) } ?? 0
            durationMs = YAMLNodeReader.string(responseNode["duration"]).flatMap(GoDuration.milliseconds(parsing:))
        }

        let request = CassetteRequest(
            method: (YAMLNodeReader.string(requestNode["method"]) ?? "GET").uppercased(),
            path: path,
            host: host,
            headers: YAMLNodeReader.headers(requestNode["headers"]),
            body: requestBody
        )
        let response = ImportedResponseBuilder.response(
            status: status,
            headers: YAMLNodeReader.headers(responseNode["headers"]),
            body: responseBytes,
            reserialized: responseReserialized
        )
        let interaction = CassetteInteraction(request: request, response: response, recordedAt: recordedAt, durationMs: durationMs)
        // Sources scrub their own secrets, but not always (or not all classes); ours is the last word.
        return (CassetteRedactor().redact(interaction), origin)
    }
}
