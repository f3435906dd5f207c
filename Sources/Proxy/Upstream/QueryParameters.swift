import Foundation

/// Filtering a raw query string without re-encoding what is kept: parameters the proxy must not
/// forward (a credential it replaces, a gateway credential) are dropped, the rest go upstream
/// byte for byte, in order.
enum QueryParameters {
    /// `query` without the parameters for which `shouldRemove(name, percent-decoded value)` is
    /// true; `nil` when nothing is left.
    static func removing(from query: String?, where shouldRemove: (Substring, String) -> Bool) -> String? {
        guard let query else { return nil }
        let kept = query.split(separator: "&", omittingEmptySubsequences: false).filter { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts.first ?? ""
            let value = parts.count == 2 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return !shouldRemove(name, value)
        }
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }
}
