import Foundation

/// The rule every admin-configured upstream URL follows (a provider's base URL variable, a
/// provider key's base URL, an identity endpoint): absolute http(s) with a host, no query, no
/// fragment, no userinfo. A trailing `/` is dropped so that joining with a native path never
/// doubles it.
package enum UpstreamBaseURL {
    /// The normalised URL, or `nil` when `value` breaks the rule.
    package static func validated(_ value: String) -> String? {
        guard value.utf8.count <= 2048, let components = URLComponents(string: value), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil, components.user == nil, components.password == nil
        else { return nil }
        var trimmed = value
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    /// What an error message says the rule is.
    package static let rule = "must be an absolute http(s) URL without query, fragment or credentials"
}
