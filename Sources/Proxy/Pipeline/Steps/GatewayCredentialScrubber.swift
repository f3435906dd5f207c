import Foundation
import NIOHTTP1

/// Takes the gateway's own credentials (virtual keys, OAuth access tokens) out of what is
/// forwarded upstream, wherever a client put them: the credential the route reads is already
/// handled by the authorizer, but a client may send one in another header or query parameter
/// too, and an upstream must never receive one (it would be a key of ours in its logs).
enum GatewayCredentialScrubber {
    /// Drops every header whose value is, or bears, a gateway credential.
    static func scrub(_ headers: inout HTTPHeaders) {
        // The common case has none: decide with a cheap scan before rebuilding anything.
        guard headers.contains(where: { Self.bearsGatewayCredential($0.value) }) else { return }
        let names = Set(headers.filter { Self.bearsGatewayCredential($0.value) }.map { $0.name.lowercased() })
        for name in names { headers.remove(name: name) }
    }

    /// `query` without the parameters whose value is a gateway credential.
    static func scrubbing(query: String?) -> String? {
        guard let query, query.contains("arch_") || query.contains("llm_at_") else { return query }
        let kept = query.split(separator: "&", omittingEmptySubsequences: false).filter { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return true }
            let value = String(parts[1]).removingPercentEncoding ?? String(parts[1])
            return !AuthenticateStep.isGatewayCredential(value)
        }
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }

    private static func bearsGatewayCredential(_ value: String) -> Bool {
        var value = Substring(value).drop { $0 == " " }
        if value.count > 7, value.prefix(7).lowercased() == "bearer " { value = value.dropFirst(7).drop { $0 == " " } }
        return AuthenticateStep.isGatewayCredential(String(value))
    }
}
