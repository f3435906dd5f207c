package import Foundation

/// Google's error body, a `google.rpc.Status` wrapped in `error`:
/// `{"error":{"code","message","status","details"?}}`. Used by the proxy on Gemini routes and by
/// the Gemini emulator; google-genai raises `ClientError` (4xx) or `ServerError` (5xx) from it.
package struct GoogleRPCStatusBody: Sendable, Hashable {
    package var code: Int
    package var message: String
    package var status: String
    package var details: [JSONValue]

    package init(code: Int, message: String, status: String? = nil, details: [JSONValue] = []) {
        self.code = code
        self.message = message
        self.status = status ?? Self.status(forCode: code)
        self.details = details
    }

    package var json: JSONValue {
        var error: [String: JSONValue] = ["code": .int(self.code), "message": .string(self.message), "status": .string(self.status)]
        if !self.details.isEmpty { error["details"] = .array(self.details) }
        return ["error": .object(error)]
    }

    package var data: Data { self.json.encodedData() }

    /// The in-band form on an `alt=sse` stream: exactly `data: <json>` and a CRLF blank line, as
    /// the real API frames its events (google-genai accepts nothing but `data: ` lines).
    package var streamEventBytes: String {
        "data: " + self.json.encodedString() + "\r\n\r\n"
    }

    /// The canonical status name for an HTTP status.
    package static func status(forCode code: Int) -> String {
        switch code {
        case 400, 413, 414, 415, 431: return "INVALID_ARGUMENT"
        case 401: return "UNAUTHENTICATED"
        case 403: return "PERMISSION_DENIED"
        case 404: return "NOT_FOUND"
        case 409: return "ABORTED"
        case 429: return "RESOURCE_EXHAUSTED"
        case 501: return "UNIMPLEMENTED"
        case 502, 503: return "UNAVAILABLE"
        case 504: return "DEADLINE_EXCEEDED"
        default: return code < 500 ? "FAILED_PRECONDITION" : "INTERNAL"
        }
    }
}

extension GoogleRPCStatusBody {
    /// The wait an error body asks for in its `google.rpc.RetryInfo` detail (`"retryDelay": "7s"`),
    /// in whole seconds rounded up: Google says it only there, never in a `retry-after` header.
    package static func retryDelaySeconds(inBody body: Data) -> Int? {
        guard let details = (try? JSONValue(parsing: body))?["error"]?["details"]?.arrayValue else { return nil }
        for detail in details where detail["@type"]?.stringValue?.hasSuffix("google.rpc.RetryInfo") == true {
            guard let delay = detail["retryDelay"]?.stringValue, delay.hasSuffix("s"), let seconds = Double(delay.dropLast()), seconds >= 0 else { continue }
            return Int(seconds.rounded(.up))
        }
        return nil
    }
}
