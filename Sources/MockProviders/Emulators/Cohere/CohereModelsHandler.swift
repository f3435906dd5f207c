import Hummingbird
import NIOCore
import WireFormats

/// `GET /v1/models` (`endpoint`, `default_only`, `page_size`, `page_token`) and
/// `GET /v1/models/{model}`, over ``CohereModelCatalog``.
struct CohereModelsHandler: Sendable {
    let style = CohereErrorStyle()

    func list(_ request: Request) throws(EmulatorError) -> Response {
        let query = request.uri.queryParameters
        var models = CohereModelCatalog.models
        let endpoint = query.get("endpoint")
        if let endpoint {
            guard CohereModelCatalog.endpoints.contains(endpoint) else {
                throw self.style.error(.badRequest, "invalid request: endpoint must be one of \(CohereModelCatalog.endpoints.joined(separator: ", ")).")
            }
            models = models.filter { $0.endpoints.contains(endpoint) }
        }
        if query.get("default_only") == "true" {
            guard endpoint != nil else { throw self.style.error(.badRequest, "invalid request: default_only is only valid when endpoint is provided.") }
            models = models.filter(\.isDefault)
        }
        var size = CohereModelCatalog.defaultPageSize
        if let text = query.get("page_size") {
            // The SDK types page_size as a float, so `5.0` arrives too.
            guard let value = Double(text), value >= 1, value <= 1000, value == value.rounded() else {
                throw self.style.error(.badRequest, "invalid request: page_size must be an integer between 1 and 1000.")
            }
            size = Int(value)
        }
        guard let page = ListPage(models, size: size, token: query.get("page_token")) else {
            throw self.style.error(.badRequest, "invalid request: page_token is invalid.")
        }
        var body: [String: JSONValue] = ["models": .array(page.items.map(CohereModelCatalog.object))]
        if let next = page.nextToken { body["next_page_token"] = .string(next) }
        return Self.json(.object(body))
    }

    func get(_ name: String) throws(EmulatorError) -> Response {
        guard let model = CohereModelCatalog.model(named: name) else { throw Self.modelNotFound(name) }
        return Self.json(CohereModelCatalog.object(model))
    }

    static func modelNotFound(_ name: String) -> EmulatorError {
        CohereErrorStyle().error(.notFound, "model '\(name)' not found, make sure the correct model ID was used and that you have access to the model.")
    }

    static func json(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.encodedData())))
    }
}
