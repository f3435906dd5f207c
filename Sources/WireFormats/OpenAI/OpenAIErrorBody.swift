package import Foundation

/// OpenAI's error body, `{"error":{"message","type","param","code"}}`, used by the proxy for
/// errors it makes itself on OpenAI-dialect routes and by the OpenAI emulator.
///
/// `param` and `code` are written as explicit `null`s when absent, as the real API does;
/// the SDK reads `body["error"]` and exposes these fields on its exception.
package struct OpenAIErrorBody: Sendable, Hashable {
    package var message: String
    package var type: String
    package var param: String?
    package var code: String?

    package init(message: String, type: String, param: String? = nil, code: String? = nil) {
        self.message = message
        self.type = type
        self.param = param
        self.code = code
    }

    package var json: JSONValue {
        [
            "error": [
                "message": .string(self.message),
                "type": .string(self.type),
                "param": self.param.map(JSONValue.string) ?? .null,
                "code": self.code.map(JSONValue.string) ?? .null,
            ]
        ]
    }

    /// The body as sent on the wire (keys in a stable order).
    package var data: Data { self.json.encodedData() }

    /// The in-band form for a stream that has already started: one SSE `data:` event whose
    /// top-level `error` makes the OpenAI SDKs raise `APIError`.
    package var streamEvent: SSEEvent {
        SSEEvent(data: self.json.encodedString())
    }
}
