package import Foundation

/// OpenAI's error body, `{"error":{"message","type","param","code"}}`, used by the proxy for
/// errors it makes itself on OpenAI-dialect routes, by the model router's translators for the
/// errors of every target, and by the OpenAI emulator.
///
/// `param` and `code` are written as explicit `null`s when absent, as the real API does;
/// the SDK reads `body["error"]` and exposes these fields on its exception.
package struct OpenAIErrorBody: Error, Sendable, Hashable {
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

extension OpenAIErrorBody: Codable {
    private enum EnvelopeKeys: String, CodingKey { case error }
    private enum CodingKeys: String, CodingKey { case message, type, param, code }

    /// Reads the envelope as OpenAI and its compatibles send it: a missing `type` is
    /// `api_error`, and `code` may be a number (some compatibles) as well as a string.
    package init(from decoder: any Decoder) throws {
        let envelope = try decoder.container(keyedBy: EnvelopeKeys.self)
        let container = try envelope.nestedContainer(keyedBy: CodingKeys.self, forKey: .error)
        self.message = try container.decode(String.self, forKey: .message)
        self.type = try container.decodeIfPresent(String.self, forKey: .type) ?? "api_error"
        self.param = try container.decodeIfPresent(String.self, forKey: .param)
        if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
            self.code = text
        } else if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
            self.code = String(number)
        } else {
            self.code = nil
        }
    }

    /// `param` and `code` are always written (null when absent), as OpenAI does.
    package func encode(to encoder: any Encoder) throws {
        var envelope = encoder.container(keyedBy: EnvelopeKeys.self)
        var container = envelope.nestedContainer(keyedBy: CodingKeys.self, forKey: .error)
        try container.encode(self.message, forKey: .message)
        try container.encode(self.type, forKey: .type)
        try container.encode(self.param, forKey: .param)
        try container.encode(self.code, forKey: .code)
    }
}
