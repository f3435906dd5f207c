import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// Entra ID's error body: `error`, `error_description` starting with the AADSTS code and ending
/// with trace lines, `error_codes`, and the ids and timestamp
/// (`PROTOCOLS.md` §8.6; wording from Microsoft's AADSTS reference).
struct EntraIDError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let error: String
    let code: Int
    let message: String

    static func invalidClientSecret(clientID: String) -> EntraIDError {
        EntraIDError(
            status: .unauthorized, error: "invalid_client", code: 7000215,
            message: "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '\(clientID)'."
        )
    }

    static let missingProof = EntraIDError(
        status: .badRequest, error: "invalid_client", code: 7000216,
        message: "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type."
    )

    static func make(_ status: HTTPResponse.Status, _ error: String, _ code: Int, _ message: String) -> EntraIDError {
        EntraIDError(status: status, error: error, code: code, message: message)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let traceID = UUID().uuidString.lowercased()
        let correlationID = UUID().uuidString.lowercased()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'Z'"
        let timestamp = formatter.string(from: Date())
        let body: [String: Any] = [
            "error": self.error,
            "error_description": "AADSTS\(self.code): \(self.message)\r\nTrace ID: \(traceID)\r\nCorrelation ID: \(correlationID)\r\nTimestamp: \(timestamp)",
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": traceID,
            "correlation_id": correlationID,
            "error_uri": "https://login.microsoftonline.com/error?code=\(self.code)",
        ]
        return EntraJSON.response(self.status, body)
    }
}
