package import Foundation
package import Hummingbird
package import WireFormats

/// A JSON POST body of a native-dialect emulator, with the scenario (from `x-mock-scenario` or a
/// `model@scenario` suffix) separated out.
package struct DialectJSONRequest: Sendable {
    package let body: [String: JSONValue]
    /// The model without any `@scenario` suffix (from the body, or given by the path for Gemini).
    package let model: String
    package let scenario: MockScenario?
    package let rawBody: Data

    /// Reads the body; a body that is not a JSON object is the dialect's 400. `pathModel` is the
    /// model named in the URL (Gemini); otherwise the body's `model` is used and may be absent
    /// (the handler decides whether that is an error).
    package static func read(
        _ request: Request,
        context: some RequestContext,
        style: any EmulatorErrorStyle,
        pathModel: String? = nil
    ) async throws -> DialectJSONRequest {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard let parsed = try? JSONValue(parsing: data), let object = parsed.objectValue else {
            throw style.error(.badRequest, "The request body is not valid JSON.")
        }
        let (model, modelScenario) = try MockScenario.split(model: pathModel ?? object["model"]?.stringValue ?? "")
        let headerScenario = try MockScenario.fromHeader(request.headers)
        return DialectJSONRequest(body: object, model: model, scenario: headerScenario ?? modelScenario, rawBody: data)
    }

    package subscript(key: String) -> JSONValue? { self.body[key] }

    package var stableID: String { StableHash.hex(of: self.rawBody) }
}
