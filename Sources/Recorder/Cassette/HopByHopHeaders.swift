/// Headers that describe one connection rather than the message (RFC 9110 §7.6.1), so a proxy
/// or a replay must not copy them, plus the framing headers a replay recomputes itself.
enum HopByHopHeaders {
    static let names: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate",
    ]

    /// Dropped when serving a recorded response: the body we write sets its own framing.
    static let replayDropped: Set<String> = names.union(["content-length"])

    static func isHopByHop(_ name: String) -> Bool { self.names.contains(name.lowercased()) }
}
