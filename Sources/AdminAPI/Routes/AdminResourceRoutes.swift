import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Logging

/// The handlers of the token-guarded resources, in one place so that every one of them decodes,
/// answers and fails the same way: JSON in (``JSONRequestBody``), JSON out (``AdminJSON``),
/// ``AdminAPIError`` for the client's mistakes, a logged 503 for an unreachable database and a
/// logged 500 for any other store failure.
struct AdminResourceRoutes<Context: RequestContext>: Sendable {
    let administration: GatewayAdministration
    let logger: Logger

    /// Runs a handler, passing the client's errors on and turning anything else (a store that
    /// failed) into a logged, detail-free 500: a store error may name tables or engine codes a
    /// client has no business seeing.
    func respond(_ context: Context, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as AdminAPIError {
            throw error
        } catch GatewayStoreError.unavailable(let reason) {
            context.logger.warning("admin request failed: the database is unavailable", metadata: ["error": .string(reason)])
            throw AdminAPIError.storeUnavailable
        } catch {
            context.logger.error("admin request failed in the store", metadata: ["error": .string(String(describing: error))])
            throw AdminAPIError.storeFailure
        }
    }

    /// The `{id}` path segment; a segment that is not a UUID cannot name anything, so it is a 404
    /// like an unknown id.
    func id(_ context: Context, resource: String) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw AdminAPIError.notFound(resource)
        }
        return id
    }

    func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        // Creation answers carry a secret shown once, and every answer describes credentials:
        // no cache along the way may keep a copy.
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: try AdminJSON.encode(value)))
    }

    func noContent() -> Response {
        Response(status: .noContent)
    }

    func audit(_ action: String, id: UUID, context: Context) {
        self.logger.notice(
            "admin change",
            metadata: [
                "archestra.admin.action": .string(action),
                "archestra.admin.id": .string(id.uuidString.lowercased()),
                "hb.request.id": context.logger[metadataKey: "hb.request.id"] ?? "-",
            ]
        )
    }
}
