import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Reads an admin request's JSON body: checks the media type (415), bounds the size (413),
/// decodes, and turns every decoding failure into a 400 that names the field at fault.
enum JSONRequestBody {
    /// 1 MiB: the largest admin object (a provider key with 32 extra headers) is a few KiB.
    static let maximumBytes = 1 << 20

    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        guard Self.isJSON(request.headers[.contentType]) else { throw AdminAPIError.unsupportedMediaType }
        let buffer = try await Self.collect(request, limit: Self.maximumBytes, tooLarge: AdminAPIError.bodyTooLarge(limit: Self.maximumBytes))
        do {
            return try AdminJSON.decoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as AdminAPIError {
            throw error
        } catch let error as DecodingError {
            throw Self.adminError(for: error)
        }
    }

    /// `application/json`, or any `+json` type; parameters (`; charset=utf-8`) are ignored.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let mediaType = Self.mediaType(contentType) else { return false }
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    static func mediaType(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Refuses a declared length over the limit before reading a byte, and stops reading an
    /// undeclared (chunked) body as soon as it passes the limit.
    static func collect(_ request: Request, limit: Int, tooLarge: some Error) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw tooLarge
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    static func adminError(for error: DecodingError) -> AdminAPIError {
        switch error {
        case .dataCorrupted(let context):
            guard !context.codingPath.isEmpty else { return .malformedJSON }
            return .invalidField(Self.fieldName(context.codingPath), Self.problem(context.debugDescription))
        case .keyNotFound(let key, let context):
            return .invalidField(Self.fieldName(context.codingPath + [key]), "is required")
        case .valueNotFound(_, let context):
            guard !context.codingPath.isEmpty else { return .bodyNotAnObject }
            return .invalidField(Self.fieldName(context.codingPath), "cannot be null")
        case .typeMismatch(let type, let context):
            guard !context.codingPath.isEmpty else { return .bodyNotAnObject }
            return .invalidField(Self.fieldName(context.codingPath), "must be \(Self.typeName(type))")
        @unknown default:
            return .malformedJSON
        }
    }

    /// `provider_key_ids[0]`, `extra_headers.x-team`.
    static func fieldName(_ path: [any CodingKey]) -> String {
        var name = ""
        for key in path {
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += name.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        // Keys of `extra_headers` are client input echoed in the error: bounded.
        return String(name.prefix(128))
    }

    /// Foundation's messages for a bad UUID or number say what was expected without the value;
    /// ours for dates likewise. Anything else gets a generic phrase.
    private static func problem(_ debugDescription: String) -> String {
        if debugDescription.contains("UUID") { return "must be a UUID" }
        if debugDescription.contains("RFC 3339") { return "must be an RFC 3339 date-time" }
        if debugDescription.contains("number") { return "must be an integer in range" }
        return "has an invalid value"
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type: return "an integer"
        case is [UUID].Type: return "an array of UUIDs"
        case is [String: String].Type: return "an object of strings"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "of another type"
        }
    }
}
