package import Foundation
package import Hummingbird
package import WireFormats

/// A POST body of the OpenAI API, read and checked the way the real API checks it, with the
/// model's `@scenario` suffix (or the `x-mock-scenario` header) separated out.
package struct OpenAIJSONRequest: Sendable {
    package let body: [String: JSONValue]
    /// The model as the client named it, without any `@scenario` suffix; echoed in responses.
    package let model: String
    package let scenario: MockScenario?
    /// The raw body bytes, the seed for stable ids.
    package let rawBody: Data

    /// Reads the body. Throws ``OpenAIEmulatorError`` for a non-JSON content type (415), a body
    /// that is not a JSON object (400) or a missing `model` (400), and ``MockScenarioParseError``
    /// for a scenario that does not parse.
    package static func read(_ request: Request, context: some RequestContext) async throws -> OpenAIJSONRequest {
        if let contentType = request.headers[.contentType], !Self.isJSON(contentType) {
            throw OpenAIEmulatorError.unsupportedContentType(contentType)
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard let parsed = try? JSONValue(parsing: data), let object = parsed.objectValue else {
            throw OpenAIEmulatorError.unparsableJSON
        }
        guard let requestedModel = object["model"]?.stringValue, !requestedModel.isEmpty else {
            throw OpenAIEmulatorError.missingModel
        }
        let (model, modelScenario) = try MockScenario.split(model: requestedModel)
        let headerScenario = try MockScenario.fromHeader(request.headers)
        return OpenAIJSONRequest(body: object, model: model, scenario: headerScenario ?? modelScenario, rawBody: data)
    }

    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return mediaType == "application/json" || mediaType.hasSuffix("+json")
    }

    package subscript(key: String) -> JSONValue? { self.body[key] }

    /// A stable identifier suffix derived from the body, so the same request gets the same ids.
    package var stableID: String { StableHash.hex(of: self.rawBody) }
}

extension MockScenario {
    /// The scenario named by the `x-mock-scenario` header, if present.
    package static func fromHeader(_ headers: HTTPFields) throws(MockScenarioParseError) -> MockScenario? {
        guard let text = headers[.mockScenario], !text.isEmpty else { return nil }
        return try MockScenario(parsing: text)
    }
}
