import Foundation

/// One page of a model listing paginated by an opaque token, as Gemini, Vertex AI, Cohere and
/// Bedrock paginate theirs. The token is base64 of `offset:<n>`: opaque to clients, stateless here.
package struct ListPage<Element> {
    package let items: [Element]
    /// The token of the next page; `nil` on the last.
    package let nextToken: String?

    /// The page of `all` starting where `token` points (the start without one), of at most
    /// `size` items. `nil` when the token was not issued by a listing of this length.
    package init?(_ all: [Element], size: Int, token: String?) {
        var start = 0
        if let token, !token.isEmpty {
            guard let decoded = Data(base64Encoded: token).flatMap({ String(data: $0, encoding: .utf8) }), decoded.hasPrefix("offset:"),
                let offset = Int(decoded.dropFirst("offset:".count)), (0...all.count).contains(offset)
            else { return nil }
            start = offset
        }
        let end = min(all.count, start + max(1, size))
        self.items = Array(all[start..<end])
        self.nextToken = end < all.count ? Data("offset:\(end)".utf8).base64EncodedString() : nil
    }
}
