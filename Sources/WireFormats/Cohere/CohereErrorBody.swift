public import Foundation

/// Cohere's error body, `{"id"?,"message"}`; the SDK picks its exception class by HTTP status
/// and keeps this body on it.
public struct CohereErrorBody: Sendable, Hashable {
    public var message: String
    public var id: String?

    public init(message: String, id: String? = nil) {
        self.message = message
        self.id = id
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = ["message": .string(self.message)]
        if let id { object["id"] = .string(id) }
        return .object(object)
    }

    public var data: Data { self.json.encodedData() }
}
