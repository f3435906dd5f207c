package import Foundation
package import Gateway

/// Refuses a request whose virtual key, profile (LLM proxy) or organisation has reached a
/// spending limit (GATEWAY.md §5), before anything goes upstream: **402** with
/// `usage_limit_exceeded`, in the client's dialect. Never 429: SDKs retry a 429, and a spent
/// budget does not come back in a few seconds.
///
/// Runs after the profile is resolved and the body read (a limit may name models); the check
/// reads memory only (``CostLedger``).
package struct SpendLimitStep: Sendable {
    let ledger: CostLedger

    package init(ledger: CostLedger) {
        self.ledger = ledger
    }

    /// `model` as the client named it (the model router's provider-qualified id included).
    package func check(virtualKeyID: UUID?, profileID: UUID?, model: String?) async throws(ProxyError) {
        guard let breach = await self.ledger.breach(virtualKeyID: virtualKeyID, profileID: profileID, model: model) else { return }
        throw Self.error(for: breach)
    }

    static func error(for breach: LimitBreach, at now: Date = Date()) -> ProxyError {
        let limit = breach.limit
        let entity: String
        switch limit.entity {
        case .virtualKey(let id): entity = "virtual key \(id.uuidString.lowercased())"
        case .profile(let id): entity = "profile \(id.uuidString.lowercased())"
        case .organization: entity = "the organization"
        }
        let models = limit.models.isEmpty ? "" : " on \(limit.models.joined(separator: ", "))"
        let remaining = max(0, limit.usd - breach.spent)
        let message =
            "This request was blocked by Archestra (not the AI provider): the token cost limit of $\(limit.usd) per \(limit.window.rawValue) window"
            + " for \(entity)\(models) is reached. Usage: $\(breach.spent); limit: $\(limit.usd); remaining: $\(remaining);"
            + " \(limit.window.resetDescription(at: now)). Limit id: \(limit.id.uuidString.lowercased())."
        return ProxyError(code: .usageLimitExceeded, message: message, limitEntityType: limit.entity.typeName)
    }
}
