package import WireFormats

/// A secret credential Archestra generates: a fixed prefix, then random bytes in one encoding.
///
/// One conformance per credential kind, so that parsing, generation and the shape check are
/// written once and a value can only be built from a string that passed that check.
package protocol PrefixedCredentialValue: Sendable, Hashable, CustomStringConvertible {
    /// The prefix that tells this credential kind apart from the others (and from provider keys).
    static var prefix: String { get }
    /// How the random part is written; its length follows from it.
    static var encoding: CredentialEncoding { get }

    var secret: Secret { get }

    /// Wraps a value ``WellFormedCredential`` vouches for; only this file can make one.
    init(_ checked: WellFormedCredential)
}

/// A string that has the shape of one ``PrefixedCredentialValue`` kind. The initializer is
/// fileprivate so no caller can skip ``PrefixedCredentialValue/isWellFormed(_:)``.
package struct WellFormedCredential: Sendable {
    package let secret: Secret

    fileprivate init(_ value: String) {
        self.secret = Secret(value)
    }
}

/// The encodings of a credential's random part.
package enum CredentialEncoding: Sendable {
    case lowercaseHex
    /// RFC 4648 §5, unpadded.
    case base64URL

    /// Every credential carries 32 random bytes (256 bits).
    static let randomByteCount = 32

    var encodedLength: Int {
        switch self {
        case .lowercaseHex: Self.randomByteCount * 2
        case .base64URL: (Self.randomByteCount * 4 + 2) / 3
        }
    }

    func encode(_ bytes: [UInt8]) -> String {
        switch self {
        case .lowercaseHex: RandomBytes.lowercaseHex(bytes)
        case .base64URL: RandomBytes.base64URL(bytes)
        }
    }

    func allows(_ byte: UInt8) -> Bool {
        switch self {
        case .lowercaseHex: CredentialAlphabet.isLowercaseHex(byte)
        case .base64URL: CredentialAlphabet.isBase64URL(byte)
        }
    }
}

extension PrefixedCredentialValue {
    /// Wraps a value that ``isWellFormed(_:)``; `nil` otherwise.
    package init?(_ value: String) {
        guard Self.isWellFormed(value) else { return nil }
        self.init(WellFormedCredential(value))
    }

    /// A new value from the system's CSPRNG.
    package static func generate() -> Self {
        let random = Self.encoding.encode(RandomBytes.generate(count: CredentialEncoding.randomByteCount))
        return Self(WellFormedCredential(Self.prefix + random))
    }

    /// Whether `value` has the shape of this credential kind; a request carrying anything else
    /// is rejected without a database lookup.
    package static func isWellFormed(_ value: String) -> Bool {
        value.hasPrefix(Self.prefix, followedBy: Self.encoding.encodedLength, of: Self.encoding.allows)
    }
}
