import Yams

/// The YAML cassette dialects the importer reads.
package enum CassetteImportFlavour: String, Sendable, Hashable, CaseIterable {
    /// VCR.py with its stock serializer: request `body` string, response `body.string`.
    case vcrPy = "VCR.py YAML (pytest-recording, stock serializer)"
    /// VCR.py with pydantic-ai's serializer: JSON bodies as `parsed_body` maps.
    case pydanticAI = "VCR.py YAML (pytest-recording) + pydantic-ai serializer (parsed_body)"
    /// Ruby VCR 6: `http_interactions`, bodies as `{encoding, string}`.
    case rubyVCR = "Ruby VCR 6 YAML"
    /// go-vcr v4: `interactions` with `request.url`, `response.code`, `duration`.
    case goVCR = "go-vcr v4 YAML (cassette version 2)"

    /// Recognises the flavour from the document's shape.
    static func detect(_ root: Node) -> CassetteImportFlavour? {
        if root["http_interactions"]?.sequence != nil { return .rubyVCR }
        guard let interactions = root["interactions"]?.sequence else { return nil }
        if interactions.contains(where: { $0["request"]?["url"] != nil }) { return .goVCR }
        let usesParsedBody = interactions.contains { interaction in
            interaction["request"]?["parsed_body"] != nil || interaction["response"]?["parsed_body"] != nil
        }
        return usesParsedBody ? .pydanticAI : .vcrPy
    }
}
