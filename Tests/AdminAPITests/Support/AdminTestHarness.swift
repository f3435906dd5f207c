import AdminAPI
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import Testing
import WireFormats

/// A request context that knows the socket peer, as the server's must for the limiter.
struct TestRequestContext: RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}

/// One admin API over a fresh in-memory store, with the handles tests assert on.
struct AdminTestHarness {
    static let adminToken = "test-admin-token-0123456789abcdef"
    static let providers = ["openai", "anthropic", "gemini", "bedrock"]

    let store: any GatewayStore
    let tokenIssuer: any AccessTokenIssuer
    let limiter: FailedAuthenticationLimiter
    let addressResolver: ClientAddressResolver
    let logs = InMemoryLogHandler()

    /// Over the real SQLite store, in memory, with the real directory issuing tokens.
    static func make(maximumFailures: Int = 10, trustedProxies: Set<String> = []) async throws -> AdminTestHarness {
        let store = try await SQLiteGatewayStore(url: .sqliteInMemory, environment: [:])
        let directory = GatewayDirectory(store: store, logger: Logger(label: "directory", factory: { _ in SwiftLogNoOpLogHandler() }))
        return AdminTestHarness(store: store, tokenIssuer: directory, maximumFailures: maximumFailures, trustedProxies: trustedProxies)
    }

    init(store: any GatewayStore, tokenIssuer: any AccessTokenIssuer, maximumFailures: Int = 10, trustedProxies: Set<String> = []) {
        self.store = store
        self.tokenIssuer = tokenIssuer
        self.limiter = FailedAuthenticationLimiter(maximumFailures: maximumFailures, window: .seconds(60))
        self.addressResolver = ClientAddressResolver(trustedProxies: trustedProxies)
    }

    var logger: Logger {
        let handler = self.logs
        var logger = Logger(label: "admin-test") { _ in handler }
        logger.logLevel = .trace
        return logger
    }

    func router() -> Router<TestRequestContext> {
        let router = Router(context: TestRequestContext.self)
        AdminAPI(
            store: self.store, adminToken: Secret(Self.adminToken), providerIDs: Self.providers,
            tokenIssuer: self.tokenIssuer, limiter: self.limiter, addressResolver: self.addressResolver,
            logger: self.logger
        ).register(on: router)
        return router
    }

    func application() -> some ApplicationProtocol {
        Application(router: self.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: self.logger)
    }

    func run(_ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await self.application().test(.router, test)
    }

    /// Everything the logs hold, flattened, to look for secrets in.
    var loggedText: String {
        self.logs.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
    }
}

extension TestClientProtocol {
    /// An admin request with the right token (or `token`), JSON body from `json`.
    @discardableResult
    func admin(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String? = AdminTestHarness.adminToken,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await self.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// A token endpoint request with a form body.
    func tokenRequest(form: String, headers extra: HTTPFields = [:], contentType: String? = "application/x-www-form-urlencoded") async throws -> TestResponse {
        var headers = extra
        if let contentType { headers[.contentType] = contentType }
        return try await self.execute(uri: "/api/auth/oauth2/token", method: .post, headers: headers, body: ByteBuffer(string: form))
    }
}

extension TestResponse {
    var text: String { String(buffer: self.body) }

    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(self.text.utf8)) as? [String: Any])
    }

    func array() throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(self.text.utf8)) as? [[String: Any]])
    }

    /// `error.code` of an admin error envelope.
    func errorCode() throws -> String? {
        (try self.object()["error"] as? [String: Any])?["code"] as? String
    }

    func errorMessage() throws -> String? {
        (try self.object()["error"] as? [String: Any])?["message"] as? String
    }
}
