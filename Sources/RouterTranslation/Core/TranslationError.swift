package import WireFormats

/// Why a translation failed, with the HTTP status the client should see and an OpenAI-shaped
/// error to show it. Struct plus private code so the set can grow without breaking callers.
package struct TranslationError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        /// The client's request is invalid for this target (400).
        case invalidRequest(field: String, message: String)
        /// The client asked for something the target cannot do at all (400).
        case unsupported(what: String)
        /// The upstream answered with something that is not its own dialect (502).
        case malformedUpstream(what: String)
        /// The upstream reported an error in-band (a stream `error` event); carried already
        /// translated so the relay can write it as an OpenAI error event.
        case upstream(error: OpenAIErrorBody, status: Int)
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// The client's request is invalid for this target (400, `invalid_request_error`, `param` set).
    package static func invalidRequest(field: String, message: String) -> TranslationError {
        TranslationError(.invalidRequest(field: field, message: message))
    }

    /// The client asked for something the target cannot express (400).
    package static func unsupported(_ what: String) -> TranslationError {
        TranslationError(.unsupported(what: what))
    }

    /// The upstream's answer could not be read as its dialect (502, `upstream_error`).
    package static func malformedUpstream(_ what: String) -> TranslationError {
        TranslationError(.malformedUpstream(what: what))
    }

    /// An error the upstream reported in-band, already in OpenAI's shape. `status` is the HTTP
    /// status the same error would have had as a whole response (the stream itself is a 200).
    package static func upstream(_ error: OpenAIErrorBody, status: Int) -> TranslationError {
        TranslationError(.upstream(error: error, status: status))
    }

    /// The HTTP status for a response that has not started yet.
    package var status: Int {
        switch code {
        case .invalidRequest, .unsupported: 400
        case .malformedUpstream: 502
        case .upstream(_, let status): status
        }
    }

    /// True when the client's request is at fault (a 4xx the client can fix).
    package var isClientError: Bool {
        switch code {
        case .invalidRequest, .unsupported: true
        case .malformedUpstream: false
        case .upstream(_, let status): (400..<500).contains(status)
        }
    }

    /// The error in OpenAI's shape: the body of an error response, or a mid-stream error event.
    package var openAIError: OpenAIErrorBody {
        switch code {
        case .invalidRequest(let field, let message):
            OpenAIErrorBody(message: message, type: "invalid_request_error", param: field, code: nil)
        case .unsupported(let what):
            OpenAIErrorBody(message: "Not supported by the target provider: \(what)", type: "invalid_request_error", param: nil, code: "unsupported")
        case .malformedUpstream(let what):
            OpenAIErrorBody(message: "The upstream provider answered with an unreadable body: \(what)", type: "upstream_error", param: nil, code: nil)
        case .upstream(let error, _):
            error
        }
    }

    package var description: String {
        "TranslationError(\(status)): \(openAIError.message)"
    }
}
