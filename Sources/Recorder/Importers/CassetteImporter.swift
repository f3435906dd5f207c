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
    ///
    /// - Parameter chunkRequest: the request a raw-chunk fixture (``RawChunkImporter``) answers;
    ///   required for `*.chunks.txt` files, which carry no request. Their provider comes from
    ///   ``overrides`` or INDEX.md.
    package func importFile(at path: String, chunkRequest: RawChunkRequest? = nil) throws -> Cassette {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CassetteImportError.unreadable(path: path)
        }
        var cassette: Cassette
        if RawChunkImporter.isChunkFile(path) {
            guard let chunkRequest, let provider = try self.overrides.provider ?? TrafficIndex.row(describing: path)?.provider else {
                throw CassetteImportError.chunksNeedRequest(path: path)
            }
            cassette = try RawChunkImporter(provider: provider, request: chunkRequest).convert(text: text, label: path)
        } else if path.hasSuffix(".json"), AzureTestProxyImporter.recognises(Data(text.utf8)) {
            cassette = try AzureTestProxyImporter().convert(Data(text.utf8), label: path)
        } else {
            cassette = try self.convert(yaml: text, label: path)
        }
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
        for (index, node) in (list?.sequence ?? []).enumerated() {
            do {
                let (interaction, interactionOrigin) = try Self.interaction(node, flavour: flavour)
                interactions.append(interaction)
                origin = origin ?? interactionOrigin
            } catch let failure as ImportFieldFailure {
                throw CassetteImportError.unknownShape(path: label, interaction: index, field: failure.field, found: failure.found)
            }
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
            throw ImportFieldFailure(field: "request/response", found: "missing")
        }
        let urlField = flavour == .goVCR ? "url" : "uri"
        guard let url = YAMLNodeReader.string(requestNode[urlField]) else {
            throw ImportFieldFailure(field: "request.\(urlField)", found: ImportFieldFailure.describe(requestNode[urlField]))
        }
        var (origin, host, path) = YAMLNodeReader.splitURL(url)
        if flavour == .goVCR { path = GoVCRForm.path(path, adding: requestNode["form"], requestBody: requestNode["body"]) }

        var requestBody: CassetteBody?
        var responseBody: ImportedBody?
        var recordedAt: String?
        var durationMs: Int?

        switch flavour {
        case .vcrPy, .pydanticAI:
            if let parsed = requestNode["parsed_body"] {
                requestBody = CassetteBody(bytes: Array(try YAMLNodeReader.compactJSON(parsed).utf8), reserialized: true)
            } else if let body = try ImportedBody.read(requestNode["body"], field: "request.body"), !body.bytes.isEmpty {
                requestBody = CassetteBody(bytes: body.bytes, reserialized: body.reserialized ? true : nil)
            }
            if let parsed = responseNode["parsed_body"] {
                responseBody = ImportedBody(bytes: Data(try YAMLNodeReader.compactJSON(parsed).utf8), reserialized: true)
            } else {
                responseBody = try ImportedBody.read(responseNode["body"], field: "response.body")
            }
        case .rubyVCR:
            if let body = try ImportedBody.read(requestNode["body"], field: "request.body"), !body.bytes.isEmpty {
                requestBody = CassetteBody(bytes: body.bytes)
            }
            responseBody = try ImportedBody.read(responseNode["body"], field: "response.body")
            recordedAt = YAMLNodeReader.string(node["recorded_at"])
        case .goVCR:
            if let bytes = try YAMLNodeReader.bytes(requestNode["body"]), !bytes.isEmpty {
                requestBody = CassetteBody(bytes: bytes)
            }
            responseBody = try YAMLNodeReader.bytes(responseNode["body"]).map { ImportedBody(bytes: $0) }
            durationMs = YAMLNodeReader.string(responseNode["duration"]).flatMap(GoDuration.milliseconds(parsing:))
        }
        let status = try Self.status(of: responseNode, flavour: flavour)

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
            body: responseBody?.bytes,
            reserialized: responseBody?.reserialized ?? false
        )
        let interaction = CassetteInteraction(request: request, response: response, recordedAt: recordedAt, durationMs: durationMs)
        // Sources scrub their own secrets, but not always (or not all classes); ours is the last word.
        return (CassetteRedactor().redact(interaction), origin)
    }

    /// The response's status code: VCR.py and Ruby VCR write `status: {code: 200, message: OK}`,
    /// newer VCR.py serialisers `status: 200`, go-vcr `code: 200` (and `status: 200 OK`).
    /// Anything else stops the import: a cassette with status 0 replays as nonsense.
    private static func status(of response: Node, flavour: CassetteImportFlavour) throws -> Int {
        let field: String
        let node: Node?
        switch flavour {
        case .goVCR:
            (field, node) = response["code"] != nil ? ("response.code", response["code"]) : ("response.status", response["status"])
        case .vcrPy, .pydanticAI, .rubyVCR:
            if let code = response["status"]?["code"] {
                (field, node) = ("response.status.code", code)
            } else {
                (field, node) = ("response.status", response["status"])
            }
        }
        // `200 OK` (go-vcr's status line) counts by its number.
        let text = YAMLNodeReader.string(node)?.split(separator: " ", maxSplits: 1).first.map(String.init)
        guard let text, let code = Int(text), (100...599).contains(code) else {
            throw ImportFieldFailure(field: field, found: ImportFieldFailure.describe(node) + ", expected an HTTP status code")
        }
        return code
    }
}
