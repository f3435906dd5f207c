package import WireFormats

/// The value of a virtual key: `arch_` followed by 64 lowercase hex digits (32 random bytes),
/// as Archestra generates them.
package struct VirtualKeyValue: PrefixedCredentialValue {
    package static let prefix = "arch_"
    package static let encoding = CredentialEncoding.lowercaseHex
    /// `arch_` + 9 hex digits: stored in clear as the lookup index; 36 bits of it are public.
    package static let tokenStartLength = 14

    package let secret: Secret

    package init(_ checked: WellFormedCredential) {
        self.secret = checked.secret
    }

    package var tokenStart: String { String(self.secret.exposedValue.prefix(Self.tokenStartLength)) }

    package var description: String { "\(self.tokenStart)…" }
}
