import Foundation

/// An OpenAI `image_url.url` classified: inline base64 (`data:` URL) or a remote URL.
/// Every translator needs this split (Anthropic and Gemini take both, Bedrock only base64).
package enum ImageReference: Sendable, Equatable {
    /// `data:<mediaType>;base64,<data>`.
    case base64(mediaType: String, data: String)
    /// `http://…` or `https://…`.
    case remote(url: String)

    /// Nil for anything else (`data:` without base64, `file:`, garbage), which the translator
    /// reports as dropped or invalid.
    package init?(url: String) {
        let lowered = url.prefix(8).lowercased()
        if lowered.hasPrefix("https://") || lowered.hasPrefix("http://") {
            self = .remote(url: url)
            return
        }
        guard lowered.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else { return nil }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        let parameters = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parameters.last?.lowercased() == "base64", let mediaType = parameters.first, mediaType.contains("/") else {
            return nil
        }
        self = .base64(mediaType: mediaType.lowercased(), data: String(url[url.index(after: comma)...]))
    }
}
