import Hummingbird
import NIOCore
import WireFormats

/// `POST /v2/embed` and the legacy `POST /v1/embed`, validated as Cohere validates them.
///
/// Inputs: `texts` (at most 96), `images` (data URIs) or v2 `inputs` (`{"content":[{"type":"text",
/// "text"} | {"type":"image_url","image_url":{"url"}}]}`); each input's vector is seeded by its
/// text (or image URL). `model` must be an embed model of ``CohereModelCatalog`` (else 404),
/// `input_type` one of ``CohereEmbeddings/inputTypes`` and required for these v3+ models,
/// `output_dimension` one the model supports. v2 always answers `embeddings_by_type` (default
/// `["float"]`); v1 answers `embeddings_floats` unless `embedding_types` is given.
/// `meta.billed_units.input_tokens` counts words (images: none, `image_tokens` instead).
struct CohereEmbedHandler: Sendable {
    let gate: DialectScenarioGate
    let style = CohereErrorStyle()
    static let maximumTexts = 96

    func handle(_ request: Request, context: some RequestContext, version: Int) async throws -> Response {
        let call = try await DialectJSONRequest.read(request, context: context, style: self.style)
        let body = try self.answer(call, version: version)
        _ = try await self.gate.admit(call.scenario, model: call.model)
        return CohereModelsHandler.json(body)
    }

    func answer(_ call: DialectJSONRequest, version: Int) throws(EmulatorError) -> JSONValue {
        guard !call.model.isEmpty else { throw self.style.error(.badRequest, "invalid request: model must be specified.") }
        guard let model = CohereModelCatalog.model(named: call.model), model.endpoints.contains("embed") else {
            if CohereModelCatalog.model(named: call.model) != nil {
                throw self.style.error(.badRequest, "invalid request: model '\(call.model)' does not support the embed endpoint.")
            }
            throw CohereModelsHandler.modelNotFound(call.model)
        }
        let (seeds, texts, imageCount) = try self.inputs(call)
        guard let inputType = call["input_type"]?.stringValue else {
            throw self.style.error(.badRequest, "invalid request: valid input_type must be provided with the provided model.")
        }
        guard CohereEmbeddings.inputTypes.contains(inputType) else {
            throw self.style.error(.badRequest, "invalid request: input_type must be one of \(CohereEmbeddings.inputTypes.joined(separator: ", ")).")
        }
        var types = version == 2 ? ["float"] : []
        if let requested = call["embedding_types"] {
            guard let list = requested.arrayValue?.compactMap(\.stringValue), list.count == requested.arrayValue?.count, !list.isEmpty,
                list.allSatisfy(CohereEmbeddings.types.contains)
            else {
                throw self.style.error(.badRequest, "invalid request: embedding_types must be a non-empty subset of \(CohereEmbeddings.types.joined(separator: ", ")).")
            }
            types = list
        }
        var dimensions = model.dimensions.first ?? 1024
        if let requested = call["output_dimension"] {
            guard let value = requested.intValue, model.dimensions.contains(value), model.dimensions.count > 1 else {
                throw self.style.error(.badRequest, "invalid request: output_dimension \(requested.encodedString()) is not supported by \(model.name); supported: \(model.dimensions.sorted().map(String.init).joined(separator: ", ")).")
            }
            dimensions = value
        }
        let vectors = seeds.map { DeterministicEmbedding.vector(for: $0, dimensions: dimensions) }
        var billed: [String: JSONValue] = ["input_tokens": .int(texts.reduce(0) { $0 + DeterministicReply.wordCount(of: $1) })]
        if imageCount > 0 { billed["image_tokens"] = .int(imageCount * 1000) }
        var body: [String: JSONValue] = [
            "id": .string(CohereChatHandler.uuid(from: call.stableID)), "texts": .array(texts.map(JSONValue.string)),
            "meta": ["api_version": ["version": .string(String(version))], "billed_units": .object(billed)],
        ]
        if types.isEmpty {
            body["embeddings"] = CohereEmbeddings.floats(vectors)
            body["response_type"] = "embeddings_floats"
        } else {
            body["embeddings"] = CohereEmbeddings.byType(vectors, types: types)
            body["response_type"] = "embeddings_by_type"
        }
        return .object(body)
    }

    /// The seed of each input's vector, the texts to echo, and how many inputs were images.
    func inputs(_ call: DialectJSONRequest) throws(EmulatorError) -> (seeds: [String], texts: [String], images: Int) {
        var seeds: [String] = []
        var texts: [String] = []
        var images = 0
        if let list = call["texts"] {
            guard let strings = list.arrayValue?.compactMap(\.stringValue), strings.count == list.arrayValue?.count else {
                throw self.style.error(.badRequest, "invalid request: texts must be an array of strings.")
            }
            seeds += strings
            texts += strings
        }
        if let list = call["images"] {
            guard let urls = list.arrayValue?.compactMap(\.stringValue), urls.count == list.arrayValue?.count, urls.allSatisfy({ $0.hasPrefix("data:image/") }) else {
                throw self.style.error(.badRequest, "invalid request: images must be data URIs (data:image/<type>;base64,<data>).")
            }
            seeds += urls
            images += urls.count
        }
        for (index, input) in (call["inputs"]?.arrayValue ?? []).enumerated() {
            var parts: [String] = []
            for item in input["content"]?.arrayValue ?? [] {
                switch item["type"]?.stringValue {
                case "text":
                    guard let text = item["text"]?.stringValue else { throw self.style.error(.badRequest, "invalid request: inputs[\(index)] text content must have text.") }
                    parts.append(text)
                    texts.append(text)
                case "image_url":
                    guard let url = item["image_url"]?["url"]?.stringValue ?? item["image_url"]?.stringValue, !url.isEmpty else {
                        throw self.style.error(.badRequest, "invalid request: inputs[\(index)] image_url content must have a url.")
                    }
                    parts.append(url)
                    images += 1
                default:
                    throw self.style.error(.badRequest, "invalid request: inputs[\(index)] content type must be one of text, image_url.")
                }
            }
            guard !parts.isEmpty else { throw self.style.error(.badRequest, "invalid request: inputs[\(index)] content cannot be empty.") }
            seeds.append(parts.joined(separator: " "))
        }
        guard !seeds.isEmpty else { throw self.style.error(.badRequest, "invalid request: one of texts, images or inputs must be provided.") }
        guard seeds.count <= Self.maximumTexts else {
            throw self.style.error(.badRequest, "invalid request: total number of texts must be at most \(Self.maximumTexts) - received \(seeds.count)")
        }
        return (seeds, texts, images)
    }
}
