/// OpenAI's error body, `{"error":{"message","type","param","code"}}`: the body of an error
/// response and, unchanged, the `data:` of a mid-stream error event (the SDK raises on any
/// event whose top-level `error` is set).
package struct OpenAIError: Error, Sendable, Equatable, Codable {
    package var message: String
    /// `invalid_request_error`, `authentication_error`, `permission_error`, `not_found_error`,
    /// `rate_limit_error`, `server_error`, `upstream_error`…
    package var type: String
    package var param: String?
    package var code: String?

    package init(message: String, type: String, param: String? = nil, code: String? = nil) {
        self.message = message
        self.type = type
        self.param = param
        self.code = code
    }

    private enum EnvelopeKeys: String, CodingKey { case error }
    private enum CodingKeys: String, CodingKey { case message, type, param, code }

    package init(from decoder: any Decoder) throws {
        let envelope = try decoder.container(keyedBy: EnvelopeKeys.self)
        let container = try envelope.nestedContainer(keyedBy: CodingKeys.self, forKey: .error)
        message = try container.decode(String.self, forKey: .message)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? "api_error"
        param = try container.decodeIfPresent(String.self, forKey: .param)
        // OpenAI sends `code` as a string, some compatibles as a number.
        if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
            code = text
        } else if let number = try? container.decodeIfPresent(Int.self, forKey: .code) {
            code = String(number)
        } else {
            code = nil
        }
    }

    /// `param` and `code` are always written (null when absent), as OpenAI does.
    package func encode(to encoder: any Encoder) throws {
        var envelope = encoder.container(keyedBy: EnvelopeKeys.self)
        var container = envelope.nestedContainer(keyedBy: CodingKeys.self, forKey: .error)
        try container.encode(message, forKey: .message)
        try container.encode(type, forKey: .type)
        try container.encode(param, forKey: .param)
        try container.encode(code, forKey: .code)
    }
}
