import Foundation

/// Which address a request counts as coming from, for rate limiting and logs.
///
/// The socket peer, unless the peer is one of the operator's load balancers
/// (`ARCHESTRA_TRUSTED_PROXIES`): then the right-most `X-Forwarded-For` entry that is not itself
/// a trusted proxy. Trusting the header from anyone would let every client pick its own address
/// and dodge the limiter; keying on the load balancer's address would put every client behind it
/// in one bucket (Archestra #7229). Loopback is not special: it is trusted only when listed.
package struct ClientAddressResolver: Sendable {
    /// Exact addresses (IPv4 or IPv6 text as the socket reports it).
    package let trustedProxies: Set<String>

    package init(trustedProxies: Set<String> = []) {
        self.trustedProxies = trustedProxies
    }

    /// Parses `ARCHESTRA_TRUSTED_PROXIES`: addresses separated by commas or spaces.
    package init(trustedProxiesVariable value: String?) {
        let entries = (value ?? "").split { $0 == "," || $0 == " " }.map { String($0) }.filter { !$0.isEmpty }
        self.trustedProxies = Set(entries)
    }

    /// `peer` is the socket's remote address without port; `forwardedFor` the values of every
    /// `X-Forwarded-For` header in order.
    package func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        let peer = peer ?? "unknown"
        guard self.trustedProxies.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !hop.isEmpty && !self.trustedProxies.contains(hop) {
            return String(hop.prefix(64))
        }
        return peer
    }
}
