import Foundation

/// The OpenAI `tool_calls[].id` the router gives a Gemini function call, and back.
///
/// Why: Gemini 3 attaches a `thoughtSignature` to a function-call part and rejects the next
/// request when that part comes back without it (Archestra #7581, Portkey #1442). OpenAI clients
/// keep nothing but the tool call's id, name and arguments, and send the id back twice — on the
/// assistant message and on the tool result. So the signature rides inside the id:
/// `<call id>__thought__<signature as base64url>`. The id stays opaque to the client, and the
/// next request restores both the call id and the signature exactly.
package enum GeminiToolCallID {
    /// The same separator LiteLLM uses, so a conversation moved between the two gateways keeps working.
    package static let signatureSeparator = "__thought__"

    package static func encode(callID: String, thoughtSignature: String?) -> String {
        guard let signature = thoughtSignature, !signature.isEmpty else { return callID }
        return callID + self.signatureSeparator + self.base64URL(fromBase64: signature)
    }

    /// Splits an id written by `encode`. An id without the separator, or whose signature half is
    /// not base64url, is a plain call id (a conversation started elsewhere).
    package static func decode(_ id: String) -> (callID: String, thoughtSignature: String?) {
        guard let range = id.range(of: self.signatureSeparator, options: .backwards) else { return (id, nil) }
        let encoded = String(id[range.upperBound...])
        guard let signature = self.base64(fromBase64URL: encoded) else { return (id, nil) }
        return (String(id[..<range.lowerBound]), signature)
    }

    /// Gemini's signatures are standard base64 (`+`, `/`, `=`); ids travel through JSON, headers
    /// and client frameworks that may not like those, so the id carries the URL-safe alphabet.
    static func base64URL(fromBase64 text: String) -> String {
        var result = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while result.hasSuffix("=") { result.removeLast() }
        return result
    }

    static func base64(fromBase64URL text: String) -> String? {
        guard !text.isEmpty,
            text.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }),
            text.unicodeScalars.allSatisfy(\.isASCII)
        else { return nil }
        var result = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while result.count % 4 != 0 { result.append("=") }
        // A well-formed signature decodes; anything else was not written by `encode`.
        guard Data(base64Encoded: result) != nil else { return nil }
        return result
    }
}
