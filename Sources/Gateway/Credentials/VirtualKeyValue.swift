package import WireFormats

/// The value of a virtual key: `arch_` followed by 64 lowercase hex digits (32 random bytes),
/// as Archestra generates them.
package struct VirtualKeyValue: Sendable, Hashable, CustomStringConvertible {
    package static let prefix = "arch_"
    /// `arch_` + 9 hex digits: stored in clear as the lookup index; 36 bits of it are public.
    package static let tokenStartLength = 14
    static let hexDigitCount = 64

    package let secret: Secret

    /// Wraps a value that ``isWellFormed(_:)``; `nil` otherwise.
    package init?(_ value: String) {
        guard Self.isWellFormed(value) else { return nil }
        self.secret = Secret(value)
    }

    private init(unchecked value: String) {
        self.secret = Secret(value)
    }

    /// A new value from the system's CSPRNG.
    package static func generate() -> VirtualKeyValue {
        VirtualKeyValue(unchecked: Self.prefix + RandomBytes.lowercaseHex(RandomBytes.generate(count: 32)))
    }

    /// Whether `value` has the shape of a virtual key; a request carrying anything else is
    /// rejected without a database lookup.
    package static func isWellFormed(_ value: String) -> Bool {
        value.hasPrefix(Self.prefix, followedBy: Self.hexDigitCount, of: CredentialAlphabet.isLowercaseHex)
    }

    package var tokenStart: String { String(self.secret.exposedValue.prefix(Self.tokenStartLength)) }

    package var description: String { "\(self.tokenStart)…" }
}
