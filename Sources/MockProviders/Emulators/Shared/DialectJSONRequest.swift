package import Foundation
package import Hummingbird
package import WireFormats

/// A JSON POST body of an emulator, read and checked the way the dialect's real API checks it
/// (``EmulatorErrorStyle``), with the scenario (from `x-mock-scenario` or a `model@scenario`
/// suffix) separated out.
package struct DialectJSONRequest: Sendable {
    package let body: [String: JSONValue]
    /// The model as the client named it, without any `@scenario` suffix (from the body, or given
    /// by the path for Gemini); echoed in responses.
    package let model: String
    package let scenario: MockScenario?
    /// The raw body bytes, the seed for stable ids.
    package let rawBody: Data

    /// Reads the body. Throws the style's errors for a content type it refuses, a body that is
    /// not a JSON object, or a missing `model` where the dialect requires one, and
    /// ``MockScenarioParseError`` for a scenario that does not parse. `pathModel` is the model
    /// named in the URL (Gemini); otherwise the body's `model` is used.
    package static func read(
        _ request: Request,
        context: some RequestContext,
        style: any EmulatorErrorStyle,
        pathModel: String? = nil
    ) async throws -> DialectJSONRequest {
        if let contentType = request.headers[.contentType], !Self.isJSON(contentType), let refusal = style.unsupportedContentType(contentType) {
            throw refusal
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard let parsed = try? JSONValue(parsing: data), let object = parsed.objectValue else {
            throw style.unparsableBody()
        }
        let requestedModel = pathModel ?? object["model"]?.stringValue ?? ""
        if requestedModel.isEmpty, let missing = style.missingModel() {
            throw missing
        }
        let (model, modelScenario) = try MockScenario.split(model: requestedModel)
        let headerScenario = try MockScenario.fromHeader(request.headers)
        return DialectJSONRequest(body: object, model: model, scenario: headerScenario ?? modelScenario, rawBody: data)
    }

    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return mediaType == "application/json" || mediaType.hasSuffix("+json")
    }

    package subscript(key: String) -> JSONValue? { self.body[key] }

    /// A stable identifier suffix derived from the body, so the same request gets the same ids.
    package var stableID: String { StableHash.hex(of: self.rawBody) }

    /// The stable identifier of the answer's `index`-th tool call: ``stableID`` for the first, a
    /// hash of the body and the index for the others, so parallel calls get distinct, stable ids
    /// of the same shape.
    package func stableID(call index: Int) -> String {
        index == 0 ? self.stableID : StableHash.hex(of: self.rawBody + Data("#call-\(index)".utf8))
    }
}
