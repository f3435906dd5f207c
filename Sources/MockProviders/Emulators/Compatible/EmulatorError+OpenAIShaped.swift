package import Hummingbird
package import WireFormats

extension EmulatorError {
    /// The common `{"error":{"message","type","param","code"}}` shape, for providers that copy OpenAI's.
    package static func openAIShaped(_ status: HTTPResponse.Status, message: String, type: String, code: JSONValue = nil) -> EmulatorError {
        EmulatorError(status: status, body: ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": code]])
    }
}
