import Foundation

/// The `id` and `created` of one OpenAI completion or stream.
package struct CompletionIdentity: Sendable, Equatable {
    /// `chatcmpl-…`; every chunk of a stream carries the same one.
    package var id: String
    /// Unix seconds.
    package var created: Int

    package init(id: String, created: Int) {
        self.id = id
        self.created = created
    }
}

/// Where translators get ids and timestamps, injected so golden tests are deterministic.
package struct CompletionIdentitySource: Sendable {
    private let make: @Sendable () -> CompletionIdentity

    package init(_ make: @escaping @Sendable () -> CompletionIdentity) {
        self.make = make
    }

    package func next() -> CompletionIdentity { make() }

    /// `chatcmpl-<uuid>` and the wall clock: what the proxy uses.
    package static let random = CompletionIdentitySource {
        CompletionIdentity(
            id: "chatcmpl-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
            created: Int(Date().timeIntervalSince1970)
        )
    }

    /// Always the same identity: what golden tests use.
    package static func fixed(id: String = "chatcmpl-test", created: Int = 1_700_000_000) -> CompletionIdentitySource {
        CompletionIdentitySource { CompletionIdentity(id: id, created: created) }
    }
}
