import Foundation
package import Gateway

/// The query of `GET /api/interactions`: filters, a page size and the cursor of the previous
/// page. Unknown parameters and malformed values are refused (400), never ignored: a typo in a
/// filter must not silently list everything.
package struct InteractionListRequest: Sendable, Equatable {
    package static let parameters = ["profile_id", "virtual_key_id", "provider", "model", "status", "since", "until", "limit", "cursor"]
    package static let defaultLimit = 100
    package static let maximumLimit = 1_000

    package var query: InteractionQuery

    package init(query: InteractionQuery) {
        self.query = query
    }

    /// - Throws: ``AdminAPIError`` naming the parameter at fault.
    package init(parameters: [(name: String, value: String)]) throws(AdminAPIError) {
        var query = InteractionQuery(limit: Self.defaultLimit)
        var seen: Set<String> = []
        for (name, value) in parameters {
            guard Self.parameters.contains(name) else { throw .unknownField(name) }
            guard seen.insert(name).inserted else { throw .invalidField(name, "is given more than once") }
            switch name {
            case "profile_id": query.profileID = try Self.id(value, name)
            case "virtual_key_id": query.virtualKeyID = try Self.id(value, name)
            case "provider": query.provider = try Self.text(value, name)
            case "model": query.model = try Self.text(value, name)
            case "status":
                guard let status = Int(value), (100...599).contains(status) else { throw .invalidField(name, "must be an HTTP status (100-599)") }
                query.status = status
            case "since": query.since = try Self.date(value, name)
            case "until": query.until = try Self.date(value, name)
            case "limit":
                guard let limit = Int(value), (1...Self.maximumLimit).contains(limit) else {
                    throw .invalidField(name, "must be an integer from 1 to \(Self.maximumLimit)")
                }
                query.limit = limit
            case "cursor":
                guard let sequence = Int64(value), sequence > 0 else { throw .invalidField(name, "must be a next_cursor this API returned") }
                query.order = .newestFirst(before: sequence)
            default: break
            }
        }
        self.query = query
    }

    private static func id(_ value: String, _ name: String) throws(AdminAPIError) -> UUID {
        guard let id = UUID(uuidString: value) else { throw .invalidField(name, "must be a UUID") }
        return id
    }

    private static func text(_ value: String, _ name: String) throws(AdminAPIError) -> String {
        guard !value.isEmpty, value.count <= 256 else { throw .invalidField(name, "must be 1 to 256 characters") }
        return value
    }

    private static func date(_ value: String, _ name: String) throws(AdminAPIError) -> Date {
        guard let date = RFC3339.date(from: value) else { throw .invalidField(name, "must be an RFC 3339 date-time (2026-01-31T12:00:00Z)") }
        return date
    }
}
