import Hummingbird
import HTTPTypes
import WireFormats

/// The resource form's `api-version` check: absent or not a date-shaped version, Azure answers
/// 404 "Resource not found" rather than a validation error.
enum AzureAPIVersion {
    static func require(in request: Request) throws(EmulatorError) {
        guard let version = request.uri.queryParameters.get("api-version"), Self.isWellFormed(version) else {
            throw EmulatorError(status: .notFound, body: ["error": ["code": "404", "message": "Resource not found"]])
        }
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DD-preview`.
    static func isWellFormed(_ version: String) -> Bool {
        let date = version.hasSuffix("-preview") ? String(version.dropLast("-preview".count)) : version
        let parts = date.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 else { return false }
        return parts.allSatisfy { $0.allSatisfy(\.isNumber) }
    }
}
