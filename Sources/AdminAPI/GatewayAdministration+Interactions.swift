package import Foundation
import Gateway

extension GatewayAdministration {
    /// One page of the interaction log, newest first, with the cursor of the next page when this
    /// one is full.
    package func interactions(_ request: InteractionListRequest) async throws -> InteractionPageResource {
        var query = request.query
        query.includeBodies = false
        let rows = try await self.store.interactions(query)
        let next = rows.count == query.limit ? rows.last.map { String($0.sequence) } : nil
        return InteractionPageResource(items: rows.map(InteractionResource.init), nextCursor: next)
    }

    /// One row with its bodies (when the proxy logs them).
    package func interaction(id: UUID) async throws -> InteractionResource {
        guard let row = try await self.store.interaction(id: id) else { throw AdminAPIError.notFound("interaction") }
        return InteractionResource(row)
    }
}
