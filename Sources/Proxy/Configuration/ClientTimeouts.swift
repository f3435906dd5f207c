/// How long the proxy waits on a client connection that is not sending what it should, before
/// closing it. Without them an idle socket, a header sent a byte a minute, or a body that stops
/// halfway each hold a connection (and a file descriptor) for ever: a slowloris.
///
/// Defaults follow nginx (`client_header_timeout`, `client_body_timeout`: 60 s;
/// `keepalive_timeout` is 75 s there, 60 s here to keep one number to remember).
package struct ClientTimeouts: Sendable, Equatable {
    /// From the first byte of a request to the end of its head (`ARCHESTRA_CLIENT_HEADER_TIMEOUT_SECONDS`).
    package var header: Duration
    /// Longest silence while a request body is being received (`ARCHESTRA_CLIENT_BODY_TIMEOUT_SECONDS`).
    package var body: Duration
    /// Longest a connection may wait for its next request: after it opens, and after each
    /// response (`ARCHESTRA_CLIENT_IDLE_TIMEOUT_SECONDS`).
    package var idle: Duration

    package static let defaults = ClientTimeouts(header: .seconds(60), body: .seconds(60), idle: .seconds(60))

    package init(header: Duration, body: Duration, idle: Duration) {
        self.header = header
        self.body = body
        self.idle = idle
    }

    init(reader: EnvironmentReader) throws(ConfigurationError) {
        let defaults = Self.defaults
        self.header = try reader.integer("ARCHESTRA_CLIENT_HEADER_TIMEOUT_SECONDS", in: 1...3600).map { .seconds($0) } ?? defaults.header
        self.body = try reader.integer("ARCHESTRA_CLIENT_BODY_TIMEOUT_SECONDS", in: 1...3600).map { .seconds($0) } ?? defaults.body
        self.idle = try reader.integer("ARCHESTRA_CLIENT_IDLE_TIMEOUT_SECONDS", in: 1...3600).map { .seconds($0) } ?? defaults.idle
    }
}
