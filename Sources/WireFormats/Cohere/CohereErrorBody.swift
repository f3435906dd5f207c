package import Foundation

/// Cohere's error body, `{"id"?,"message"}`; the SDK picks its exception class by HTTP status
/// and keeps this body on it.
package struct CohereErrorBody: Sendable, Hashable {
    package var message: String
    package var id: String?

    package init(message: String, id: String? = nil) {
        self.message = message
        self.id = id
    }

    package var json: JSONValue {
        var object: [String: JSONValue] = ["message": .string(self.message)]
        if let id { object["id"] = .string(id) }
        return .object(object)
    }

    package var data: Data { self.json.encodedData() }
}
