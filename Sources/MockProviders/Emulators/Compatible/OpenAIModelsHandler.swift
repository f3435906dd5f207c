package import Hummingbird
import NIOCore
import WireFormats

/// `GET /v1/models` and `GET /v1/models/{id}` over a fixed catalog of real model ids.
package struct OpenAIModelsHandler: Sendable {
    /// Real ids with their real `created` timestamps and owners.
    package static let catalog: [(id: String, created: Int, ownedBy: String)] = [
        ("gpt-4o", 1_715_367_049, "system"),
        ("gpt-4o-mini", 1_721_172_741, "system"),
        ("gpt-4.1", 1_744_316_542, "system"),
        ("gpt-4.1-mini", 1_744_318_173, "system"),
        ("gpt-4.1-nano", 1_744_321_707, "system"),
        ("o3-mini", 1_737_146_383, "system"),
        ("gpt-5", 1_754_425_777, "system"),
        ("gpt-5-mini", 1_754_425_928, "system"),
        ("gpt-5-nano", 1_754_426_384, "system"),
        ("text-embedding-3-small", 1_705_948_997, "system"),
        ("text-embedding-3-large", 1_705_953_180, "system"),
        ("text-embedding-ada-002", 1_671_217_299, "openai-internal"),
    ]

    let gate: DialectScenarioGate

    package init(gate: DialectScenarioGate) { self.gate = gate }

    static func object(_ model: (id: String, created: Int, ownedBy: String)) -> JSONValue {
        ["id": .string(model.id), "object": "model", "created": .int(model.created), "owned_by": .string(model.ownedBy)]
    }

    package func list(_ request: Request, context: some RequestContext) async throws -> Response {
        _ = try await self.gate.admit(MockScenario.fromHeader(request.headers), model: "")
        let body: JSONValue = ["object": "list", "data": .array(Self.catalog.map(Self.object))]
        return OpenAIResponseFactory.json(ByteBuffer(bytes: body.encodedData()), script: .plain)
    }

    /// Throws a 404 `model_not_found` for an id not in the catalog.
    package func retrieve(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        _ = try await self.gate.admit(MockScenario.fromHeader(request.headers), model: id)
        guard let model = Self.catalog.first(where: { $0.id == id }) else {
            throw OpenAIErrorStyle.modelNotFound(id)
        }
        return OpenAIResponseFactory.json(ByteBuffer(bytes: Self.object(model).encodedData()), script: .plain)
    }
}
