import Foundation
import WireFormats

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

    /// `chatcmpl-` and 32 random lowercase hex digits (a UUID's worth), and the wall clock: what
    /// the proxy uses. Built from 16 random bytes rather than by editing a UUID string, whose
    /// `replacingOccurrences` went through NSString on every translated request.
    package static let random = CompletionIdentitySource {
        CompletionIdentity(id: "chatcmpl-" + Self.randomHex(), created: Int(Date().timeIntervalSince1970))
    }

    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.lowercase((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// Always the same identity: what golden tests use.
    package static func fixed(id: String = "chatcmpl-test", created: Int = 1_700_000_000) -> CompletionIdentitySource {
        CompletionIdentitySource { CompletionIdentity(id: id, created: created) }
    }
}
