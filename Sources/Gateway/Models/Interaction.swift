package import Foundation

/// One proxied request as the interaction log keeps it (GATEWAY.md §6): who asked, what for,
/// what came back, how long it took, what it used and cost.
///
/// Written in batches by the proxy's interaction log writer when a response has ended; read by
/// `archestra logs` and `GET /api/interactions`. Holds no credential: bodies, when the operator
/// asked for them, were scrubbed before they got here.
package struct Interaction: Sendable, Equatable {
    package var id: UUID
    /// The store's insertion order, assigned when the row is written (0 before): what pages and
    /// `archestra logs --follow` move along, since a long stream is logged after shorter
    /// requests that started later.
    package var sequence: Int64 = 0
    /// When the request arrived.
    package var startedAt: Date
    package var profileID: UUID?
    package var credentialKind: InteractionCredentialKind
    package var virtualKeyID: UUID?
    package var oauthClientID: UUID?
    /// The stored provider key used upstream, if any.
    package var providerKeyID: UUID?
    package var provider: String?
    package var model: String?
    /// The model the client asked for, when an optimisation rule changed it.
    package var baselineModel: String?
    package var method: String
    /// The path after the provider prefix (`/chat/completions`), or the model router's path.
    package var path: String
    package var isStreaming: Bool
    /// What the client got; `nil` when the request ended before a status was decided.
    package var status: Int?
    package var errorCode: String?
    package var timings: InteractionTimings
    package var tokens: InteractionTokens
    /// `nil` when the model has no price or the answer reported no usage.
    package var cost: InteractionCost?
    /// Names of the tool calls the policies blocked, in order.
    package var blockedToolCalls: [String]
    package var requestBytes: Int
    package var responseBytes: Int
    /// Present only with `ARCHESTRA_INTERACTION_LOG_BODIES=true`.
    package var bodies: InteractionBodies?

    package init(
        id: UUID = UUID(), startedAt: Date, profileID: UUID? = nil, credentialKind: InteractionCredentialKind = .none,
        virtualKeyID: UUID? = nil, oauthClientID: UUID? = nil, providerKeyID: UUID? = nil,
        provider: String? = nil, model: String? = nil, baselineModel: String? = nil,
        method: String, path: String, isStreaming: Bool = false, status: Int? = nil, errorCode: String? = nil,
        timings: InteractionTimings = InteractionTimings(), tokens: InteractionTokens = InteractionTokens(),
        cost: InteractionCost? = nil, blockedToolCalls: [String] = [], requestBytes: Int = 0, responseBytes: Int = 0,
        bodies: InteractionBodies? = nil
    ) {
        self.id = id
        self.startedAt = startedAt
        self.profileID = profileID
        self.credentialKind = credentialKind
        self.virtualKeyID = virtualKeyID
        self.oauthClientID = oauthClientID
        self.providerKeyID = providerKeyID
        self.provider = provider
        self.model = model
        self.baselineModel = baselineModel
        self.method = method
        self.path = path
        self.isStreaming = isStreaming
        self.status = status
        self.errorCode = errorCode
        self.timings = timings
        self.tokens = tokens
        self.cost = cost
        self.blockedToolCalls = blockedToolCalls
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.bodies = bodies
    }
}

extension Interaction {
    /// ``blockedToolCalls`` as the JSON array both stores keep; nearly always empty, and then
    /// written without an encoder (0.3% of the proxy's CPU a request, perf).
    package var blockedToolCallsJSON: String {
        guard !self.blockedToolCalls.isEmpty else { return "[]" }
        return (try? JSONEncoder().encode(self.blockedToolCalls)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}

/// How the client authenticated (GATEWAY.md's `auth_method`, for the credentials this proxy knows).
package enum InteractionCredentialKind: String, Sendable, Codable, CaseIterable {
    /// The client's own provider key, passed through.
    case providerKey = "provider_key"
    case virtualKey = "virtual_key"
    case oauthClient = "oauth_client"
    /// No client credential (the primary key or a keyless upstream served it, or it was refused).
    case none
}

/// Durations in microseconds: whole numbers, exact in SQLite, fine enough for a loopback TTFT.
package struct InteractionTimings: Sendable, Equatable {
    /// Arrival to the response's end (or failure).
    package var totalMicroseconds: Int64?
    /// The upstream call up to its response head.
    package var upstreamMicroseconds: Int64?
    /// Arrival to the first stream message written to the client (time to first token).
    package var firstMessageMicroseconds: Int64?

    package init(totalMicroseconds: Int64? = nil, upstreamMicroseconds: Int64? = nil, firstMessageMicroseconds: Int64? = nil) {
        self.totalMicroseconds = totalMicroseconds
        self.upstreamMicroseconds = upstreamMicroseconds
        self.firstMessageMicroseconds = firstMessageMicroseconds
    }

    /// `duration` in whole microseconds.
    package static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}

/// Token counts as the upstream reported them; `nil` where it reported nothing.
package struct InteractionTokens: Sendable, Equatable {
    /// Uncached input.
    package var input: Int?
    package var output: Int?
    package var cacheRead: Int?
    package var cacheWrite: Int?
    package var reasoning: Int?

    package init(input: Int? = nil, output: Int? = nil, cacheRead: Int? = nil, cacheWrite: Int? = nil, reasoning: Int? = nil) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
        self.reasoning = reasoning
    }
}

/// US dollars, exact: stored as decimal text, since a request's cost is often a fraction of a
/// micro-dollar (1 000 tokens of a cheap model) that integer micro-dollars would round to 0.
package struct InteractionCost: Sendable, Equatable {
    package var total: Decimal
    package var cache: Decimal
    package var savings: Decimal

    package init(total: Decimal, cache: Decimal = 0, savings: Decimal = 0) {
        self.total = total
        self.cache = cache
        self.savings = savings
    }
}

/// Request and response bodies, scrubbed of secrets and cut at a bound.
package struct InteractionBodies: Sendable, Equatable {
    package var request: String?
    package var requestTruncated: Bool
    package var response: String?
    package var responseTruncated: Bool

    package init(request: String? = nil, requestTruncated: Bool = false, response: String? = nil, responseTruncated: Bool = false) {
        self.request = request
        self.requestTruncated = requestTruncated
        self.response = response
        self.responseTruncated = responseTruncated
    }
}

/// What `GatewayStore/interactions(_:)` returns: filters, an order and a bound.
package struct InteractionQuery: Sendable, Equatable {
    package var profileID: UUID?
    package var virtualKeyID: UUID?
    package var provider: String?
    package var model: String?
    package var status: Int?
    /// Requests that started at or after this.
    package var since: Date?
    /// Requests that started before this.
    package var until: Date?
    package var order: Order = .newestFirst(before: nil)
    package var limit: Int = 100
    /// Whether rows carry their bodies; lists leave them out (they can be large).
    package var includeBodies = false

    /// Keyset pagination on ``Interaction/sequence``: stable under concurrent inserts and prunes.
    package enum Order: Sendable, Equatable {
        /// Newest first, rows logged before `before` (a page's last sequence).
        case newestFirst(before: Int64?)
        /// Oldest first, rows logged after `after`: how `--follow` sees what is new.
        case oldestFirst(after: Int64?)
    }

    package init(
        profileID: UUID? = nil, virtualKeyID: UUID? = nil, provider: String? = nil, model: String? = nil, status: Int? = nil,
        since: Date? = nil, until: Date? = nil, order: Order = .newestFirst(before: nil), limit: Int = 100, includeBodies: Bool = false
    ) {
        self.profileID = profileID
        self.virtualKeyID = virtualKeyID
        self.provider = provider
        self.model = model
        self.status = status
        self.since = since
        self.until = until
        self.order = order
        self.limit = limit
        self.includeBodies = includeBodies
    }
}
