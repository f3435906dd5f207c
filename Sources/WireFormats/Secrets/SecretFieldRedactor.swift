import RegexBuilder

/// Replaces the values of secret fields in text bodies — JSON string fields, form-encoded
/// parameters and XML elements named `access_token`, `refresh_token`, `id_token`,
/// `client_secret`, `SessionToken`, `SecretAccessKey` — in place, every other byte untouched.
///
/// One copy of the rule for everything that keeps bodies: cassettes (`CassetteRedactor`) and the
/// proxy's interaction log.
package struct SecretFieldRedactor: Sendable {
    /// The value written in place of every secret.
    package static let placeholder = "<redacted>"

    /// JSON, form and XML fields whose value is secret (OAuth token endpoints, AWS STS).
    package var secretBodyFields: [String] = [
        "access_token", "refresh_token", "id_token", "client_secret", "SessionToken", "SecretAccessKey",
    ]

    package init() {}

    /// Replaces secret field values in JSON (`"access_token": "…"`), form-encoded
    /// (`client_secret=…`) and XML (`<SessionToken>…</SessionToken>`) text, in place.
    package func redact(text: String) -> String {
        var text = text
        for field in self.secretBodyFields where text.contains(field) {
            text = Self.replacingJSONStringValue(of: field, in: text)
            text = Self.replacingFormValue(of: field, in: text)
            text = text.replacing(
                Regex {
                    "<\(field)>"
                    ZeroOrMore(CharacterClass.anyOf("<").inverted)
                    "</\(field)>"
                }
            ) { _ in "<\(field)>\(Self.placeholder)</\(field)>" }
        }
        return text
    }

    private static func replacingJSONStringValue(of field: String, in text: String) -> String {
        let pattern = Regex {
            Capture {
                "\"\(field)\""
                ZeroOrMore(.whitespace)
                ":"
                ZeroOrMore(.whitespace)
            }
            "\""
            ZeroOrMore {
                ChoiceOf {
                    CharacterClass.anyOf("\"\\").inverted
                    Regex {
                        "\\"
                        CharacterClass.any
                    }
                }
            }
            "\""
        }
        return text.replacing(pattern) { match in "\(match.output.1)\"\(Self.placeholder)\"" }
    }

    private static func replacingFormValue(of field: String, in text: String) -> String {
        let pattern = Regex {
            Capture {
                ChoiceOf {
                    Anchor.startOfSubject
                    "&"
                }
                "\(field)="
            }
            ZeroOrMore(CharacterClass.anyOf("&\"\n").inverted)
        }
        return text.replacing(pattern) { match in "\(match.output.1)\(Self.placeholder)" }
    }
}
