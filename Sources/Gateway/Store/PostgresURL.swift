import Foundation
package import WireFormats

/// A PostgreSQL database named by `ARCHESTRA_DATABASE_URL`:
///
/// `postgres://user:password@host:port/database?sslmode=require&pool_size=10&connect_timeout=10`
///
/// - user and password are percent-decoded (a `@` or `/` in a password is written `%40`, `%2F`);
///   the password is a ``Secret`` and ``description`` shows `***` in its place;
/// - port defaults to 5432; the database defaults to the user's name, as `psql` does;
/// - `sslmode`: `disable`, `prefer` (the default, as libpq: TLS when the server offers it,
///   unverified), `require` (TLS or no connection; the certificate is not checked, as libpq),
///   `verify-ca` (the chain must lead to a trusted root), `verify-full` (and the name must match
///   the host). Trusted roots are the system's, or the PEM file named by `sslrootcert`;
/// - `pool_size`: the most connections this process opens (1–100, default 10); requests beyond
///   it wait for a free connection;
/// - `connect_timeout`: seconds to wait for a connection (1–300, default 10);
/// - `schema`: the schema to keep archestra's tables in, created when missing (default: the
///   user's default, normally `public`); lowercase letters, digits and underscores;
/// - `query_timeout`: seconds any one store operation may take, waiting for a pooled connection
///   included (1–300, default 5); past it the operation fails as unavailable (a 503 for a new
///   credential) instead of waiting out a database outage.
///
/// Anything else is refused: a misspelt `sslmode` silently ignored would send traffic in clear.
package struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    package enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable
        case prefer
        case require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    package var host: String
    package var port: Int
    package var username: String
    package var password: Secret?
    package var database: String
    package var tls: TLSMode
    /// A PEM file of trusted root certificates, instead of the system's.
    package var rootCertificatePath: String?
    package var poolSize: Int
    package var connectTimeoutSeconds: Int
    package var queryTimeoutSeconds: Int
    /// `nil`: the server's default search path.
    package var schema: String?

    package static let defaultPort = 5432
    package static let defaultPoolSize = 10
    package static let defaultConnectTimeoutSeconds = 10
    package static let defaultQueryTimeoutSeconds = 5

    package init(
        host: String, port: Int = Self.defaultPort, username: String, password: Secret?, database: String, tls: TLSMode = .prefer,
        rootCertificatePath: String? = nil, poolSize: Int = Self.defaultPoolSize, connectTimeoutSeconds: Int = Self.defaultConnectTimeoutSeconds,
        queryTimeoutSeconds: Int = Self.defaultQueryTimeoutSeconds, schema: String? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.rootCertificatePath = rootCertificatePath
        self.poolSize = poolSize
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.queryTimeoutSeconds = queryTimeoutSeconds
        self.schema = schema
    }

    /// - Throws: ``GatewayStoreError/unsupportedDatabaseURL(_:)`` naming the part that is wrong,
    ///   never the URL itself (it may carry the password).
    package init(parsing text: String) throws(GatewayStoreError) {
        let variable = DatabaseURL.environmentVariable
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw .unsupportedDatabaseURL(
                "\(variable) is not a PostgreSQL URL archestra can read: use postgres://user:password@host:5432/database?sslmode=require (percent-encode reserved characters in the password)"
            )
        }
        guard let host = components.host, !host.isEmpty else {
            throw .unsupportedDatabaseURL("\(variable) names no PostgreSQL host: use postgres://user:password@host:5432/database")
        }
        guard let user = components.user, !user.isEmpty else {
            throw .unsupportedDatabaseURL("\(variable) names no PostgreSQL user: use postgres://user:password@host:5432/database")
        }
        let port = components.port ?? Self.defaultPort
        guard (1...65535).contains(port) else {
            throw .unsupportedDatabaseURL("\(variable) has a PostgreSQL port outside 1–65535")
        }
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        database = database.removingPercentEncoding ?? database
        if database.isEmpty { database = user }
        guard !database.contains("/") else {
            throw .unsupportedDatabaseURL("\(variable) names a PostgreSQL database with a '/' in it")
        }

        var tls = TLSMode.prefer
        var rootCertificatePath: String?
        var poolSize = Self.defaultPoolSize
        var connectTimeout = Self.defaultConnectTimeoutSeconds
        var queryTimeout = Self.defaultQueryTimeoutSeconds
        var schema: String?
        var seen: Set<String> = []
        for item in components.queryItems ?? [] {
            guard seen.insert(item.name).inserted else {
                throw .unsupportedDatabaseURL("\(variable) gives the PostgreSQL parameter '\(Self.shown(item.name))' twice")
            }
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw .unsupportedDatabaseURL(
                        "\(variable) has an sslmode archestra does not support; use one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                tls = mode
            case "sslrootcert":
                guard !value.isEmpty else { throw .unsupportedDatabaseURL("\(variable) has an empty sslrootcert") }
                rootCertificatePath = value
            case "pool_size":
                guard let size = Int(value), (1...100).contains(size) else {
                    throw .unsupportedDatabaseURL("\(variable) has a pool_size that is not a whole number from 1 to 100")
                }
                poolSize = size
            case "connect_timeout":
                guard let seconds = Int(value), (1...300).contains(seconds) else {
                    throw .unsupportedDatabaseURL("\(variable) has a connect_timeout that is not a whole number of seconds from 1 to 300")
                }
                connectTimeout = seconds
            case "schema":
                guard Self.isSchemaName(value) else {
                    throw .unsupportedDatabaseURL("\(variable) has a schema that is not lowercase letters, digits and underscores")
                }
                schema = value
            case "query_timeout":
                guard let seconds = Int(value), (1...300).contains(seconds) else {
                    throw .unsupportedDatabaseURL("\(variable) has a query_timeout that is not a whole number of seconds from 1 to 300")
                }
                queryTimeout = seconds
            default:
                throw .unsupportedDatabaseURL(
                    "\(variable) has a PostgreSQL parameter archestra does not know ('\(Self.shown(item.name))'); known: sslmode, sslrootcert, pool_size, connect_timeout, query_timeout, schema"
                )
            }
        }
        if rootCertificatePath != nil, tls != .verifyCA, tls != .verifyFull {
            throw .unsupportedDatabaseURL("\(variable) gives sslrootcert, which only verify-ca and verify-full use; add sslmode=verify-full")
        }
        self.init(
            host: host, port: port, username: user, password: components.password.map(Secret.init), database: database, tls: tls,
            rootCertificatePath: rootCertificatePath, poolSize: poolSize, connectTimeoutSeconds: connectTimeout,
            queryTimeoutSeconds: queryTimeout, schema: schema
        )
    }

    /// The URL with `***` for the password: safe for logs and errors.
    package var description: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.host = self.host
        components.port = self.port
        components.user = self.username
        components.path = "/" + self.database
        var text = components.string ?? "postgres://\(self.host)"
        if self.password != nil, let at = text.range(of: "@") {
            text.replaceSubrange(at, with: ":***@")
        }
        var query = ["sslmode=\(self.tls.rawValue)"]
        if let rootCertificatePath { query.append("sslrootcert=\(rootCertificatePath)") }
        query.append("pool_size=\(self.poolSize)")
        query.append("connect_timeout=\(self.connectTimeoutSeconds)")
        query.append("query_timeout=\(self.queryTimeoutSeconds)")
        if let schema { query.append("schema=\(schema)") }
        return text + "?" + query.joined(separator: "&")
    }

    /// Safe to splice into SQL unquoted: lowercase ASCII letters, digits and underscores, not
    /// starting with a digit, at most 63 characters (PostgreSQL's identifier limit).
    package static func isSchemaName(_ name: String) -> Bool {
        guard let first = name.first, !first.isNumber, name.utf8.count <= 63 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }

    /// A parameter name as typed, shortened: it is the user's text, not a secret, but may be long.
    private static func shown(_ name: String) -> String {
        name.count > 30 ? String(name.prefix(30)) + "…" : name
    }
}
