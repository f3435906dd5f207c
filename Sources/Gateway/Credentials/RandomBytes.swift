import Foundation
import WireFormats

/// Credential material. `SystemRandomNumberGenerator` reads the operating system's CSPRNG
/// (`getrandom` on Linux, `arc4random` on Darwin), which is what a credential needs.
enum RandomBytes {
    static func generate(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func lowercaseHex(_ bytes: [UInt8]) -> String {
        Hex.lowercase(bytes)
    }

    /// RFC 4648 §5 without padding, as Archestra writes its tokens and hashes.
    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
