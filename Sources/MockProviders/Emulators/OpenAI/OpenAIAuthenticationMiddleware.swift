package import Hummingbird

/// Checks `Authorization: Bearer <key>` against the accepted keys, as the real API does, with
/// the real API's 401 bodies. `/healthz` is open so readiness probes need no key.
package struct OpenAIAuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let acceptedKeys: [String]

    package init(acceptedKeys: [String]) {
        self.acceptedKeys = acceptedKeys
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        guard let key = Self.bearerKey(in: request.headers) else {
            throw OpenAIEmulatorError.missingAPIKey
        }
        // Check every accepted key in constant time, without stopping at the first match.
        var accepted = false
        for candidate in self.acceptedKeys where ConstantTimeComparison.equal(candidate, key) {
            accepted = true
        }
        guard accepted else {
            throw OpenAIEmulatorError.incorrectAPIKey(maskedKey: Self.masked(key))
        }
        return try await next(request, context)
    }

    /// The key of a `Bearer` authorization (scheme case-insensitive), or `nil` when there is none.
    static func bearerKey(in headers: HTTPFields) -> String? {
        guard let authorization = headers[.authorization] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let key = parts[1].trimmingWhitespace()
        return key.isEmpty ? nil : key
    }

    /// Shows only enough of a key to recognise it: the first five and last four characters of a
    /// long key, nothing of a short one.
    static func masked(_ key: String) -> String {
        guard key.count >= 16 else { return String(repeating: "*", count: max(key.count, 4)) }
        return "\(key.prefix(5))\(String(repeating: "*", count: key.count - 9))\(key.suffix(4))"
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        var view = self
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}

/// Equality whose time depends only on the lengths, not on where the inputs first differ.
enum ConstantTimeComparison {
    static func equal(_ expected: String, _ given: String) -> Bool {
        let expectedBytes = Array(expected.utf8)
        let givenBytes = Array(given.utf8)
        var difference = UInt8(truncatingIfNeeded: expectedBytes.count ^ givenBytes.count)
        for index in 0..<givenBytes.count {
            let expectedByte = index < expectedBytes.count ? expectedBytes[index] : 0
            difference |= expectedByte ^ givenBytes[index]
        }
        return difference == 0 && expectedBytes.count == givenBytes.count
    }
}
