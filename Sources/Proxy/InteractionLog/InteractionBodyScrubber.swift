import Foundation
import Gateway
import NIOCore
import RegexBuilder
import WireFormats

/// Takes secrets out of the bodies the interaction log keeps, in the writer, off the request path.
///
/// Three passes, each reusing what the project already knows about secrets rather than a second
/// list of its own:
/// 1. the exact credentials the request presented or used (``CapturedBodies/secrets``: the
///    client's key or token, the stored provider key sent upstream), wherever they appear;
/// 2. anything shaped like one of the gateway's own credentials (``VirtualKeyValue/prefix``,
///    ``OAuthAccessTokenValue/prefix`` followed by their encoded random part), which a client
///    may paste into a prompt;
/// 3. the cassette recorder's field rules (``SecretFieldRedactor/redact(text:)``): OAuth tokens,
///    client secrets and AWS session credentials in JSON, form and XML bodies.
///
/// Replaced values become ``SecretFieldRedactor/placeholder``, the same marker recordings use.
struct InteractionBodyScrubber: Sendable {
    private let redactor = SecretFieldRedactor()

    /// Credentials shorter than this are not searched for: replacing every `"a"` in a body would
    /// hide the body without protecting anything.
    static let shortestSearchedSecret = 6

    func bodies(_ captured: CapturedBodies) -> InteractionBodies {
        let request = self.text(captured.request, secrets: captured.secrets)
        let response = self.text(captured.response, secrets: captured.secrets)
        return InteractionBodies(
            request: request, requestTruncated: captured.request.isTruncated,
            response: response, responseTruncated: captured.response.isTruncated)
    }

    /// The captured bytes as text (invalid UTF-8 replaced, as a binary event stream has some),
    /// scrubbed; `nil` for an empty body.
    func text(_ capture: BodyCapture, secrets: [Secret]) -> String? {
        guard capture.bytes.readableBytes > 0 else { return nil }
        return self.scrub(String(decoding: capture.bytes.readableBytesView, as: UTF8.self), secrets: secrets)
    }

    func scrub(_ text: String, secrets: [Secret]) -> String {
        var text = text
        for secret in secrets where secret.exposedValue.count >= Self.shortestSearchedSecret {
            text = text.replacingOccurrences(of: secret.exposedValue, with: SecretFieldRedactor.placeholder)
        }
        if text.contains(VirtualKeyValue.prefix) {
            text = text.replacing(Self.virtualKeyShape) { _ in SecretFieldRedactor.placeholder }
        }
        if text.contains(OAuthAccessTokenValue.prefix) {
            text = text.replacing(Self.accessTokenShape) { _ in SecretFieldRedactor.placeholder }
        }
        return self.redactor.redact(text: text)
    }

    /// `arch_` and at least 16 hex digits: a whole key, or enough of one to matter. Built per use
    /// (a `Regex` is not `Sendable`), off the request path.
    private static var virtualKeyShape: Regex<Substring> {
        Regex {
        VirtualKeyValue.prefix
        Repeat(16...) { CharacterClass(.hexDigit) }
        }
    }

    /// `llm_at_` and at least 16 base64url characters.
    private static var accessTokenShape: Regex<Substring> {
        Regex {
        OAuthAccessTokenValue.prefix
        Repeat(16...) { CharacterClass(.word, .anyOf("-")) }
        }
    }
}
