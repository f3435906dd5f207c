package import Foundation

/// A profile: the `{profile-id}` of `/v1/<provider>/<profile-id>/...` and, as an LLM proxy, the
/// `{llm-proxy-id}` of the model router. One entity with a kind, as in Archestra's `agents` table.
///
/// A default profile exists from the first start (the store's migrations create it); it serves
/// routes without an id and is also the default LLM proxy.
package struct Profile: Sendable, Hashable, Codable {
    package var id: UUID
    package var name: String
    package var kind: ProfileKind
    package var isDefault: Bool
    /// Treat every request's context as untrusted (tool-call policies, a later issue).
    package var considerContextUntrusted: Bool
    package var createdAt: Date

    package init(id: UUID, name: String, kind: ProfileKind, isDefault: Bool, considerContextUntrusted: Bool = false, createdAt: Date) {
        self.id = id
        self.name = name
        self.kind = kind
        self.isDefault = isDefault
        self.considerContextUntrusted = considerContextUntrusted
        self.createdAt = createdAt
    }

    /// Whether the model router may serve it: LLM proxies, and the default profile.
    package var servesModelRouter: Bool { self.kind == .llmProxy || self.isDefault }
}

package enum ProfileKind: String, Sendable, Hashable, Codable, CaseIterable {
    case profile
    case llmProxy = "llm_proxy"
}

/// What a caller supplies to create a profile.
package struct ProfileDraft: Sendable, Hashable {
    /// A chosen id (declarative set-ups, tests, a migration from another gateway); `nil` draws a
    /// random one. An id already in use is refused.
    package var id: UUID?
    package var name: String
    package var kind: ProfileKind
    package var considerContextUntrusted: Bool

    package init(id: UUID? = nil, name: String, kind: ProfileKind, considerContextUntrusted: Bool = false) {
        self.id = id
        self.name = name
        self.kind = kind
        self.considerContextUntrusted = considerContextUntrusted
    }
}

/// A change to a profile; `nil` fields stay as they are.
package struct ProfileUpdate: Sendable, Hashable {
    package var name: String?
    package var considerContextUntrusted: Bool?

    package init(name: String? = nil, considerContextUntrusted: Bool? = nil) {
        self.name = name
        self.considerContextUntrusted = considerContextUntrusted
    }
}
