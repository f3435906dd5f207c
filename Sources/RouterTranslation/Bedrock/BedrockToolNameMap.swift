/// Bedrock-safe tool names and the way back.
///
/// Why: Converse rejects a `toolSpec` whose name does not match `[a-zA-Z0-9_-]{1,64}` — MCP tools
/// are routinely `server.tool` or `server/tool`, and prefixed names pass 64 characters (LiteLLM
/// #24668). A name that already matches is sent unchanged. Any other name becomes its allowed
/// characters (others replaced by `_`), cut to 55, plus `_` and 8 hex digits of a hash of the
/// *original* name — deterministic, so the same request always maps the same way and the answer
/// can be mapped back from the request alone, and distinct names stay distinct even when their
/// safe prefixes coincide.
package struct BedrockToolNameMap: Sendable, Equatable {
    package static let maximumLength = 64
    private static let hashSuffixLength = 8

    package struct Failure: Error, Sendable, Equatable {
        package var message: String
    }

    /// Original → Bedrock name, and back, for every name seen.
    private var bedrockNames: [String: String] = [:]
    private var originalNames: [String: String] = [:]

    package init() {}

    /// Builds the map for a set of names (the tools' and those of tool calls in the history).
    /// Throws for an empty name, which no mapping can make acceptable.
    package init(names: some Sequence<String>) throws(Failure) {
        for name in names { _ = try self.bedrockName(for: name) }
    }

    package static func isValidBedrockName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= self.maximumLength && name.unicodeScalars.allSatisfy(self.isAllowed)
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": return true
        default: return false
        }
    }

    /// The name to send to Bedrock for `original`, recording the pair.
    package mutating func bedrockName(for original: String) throws(Failure) -> String {
        if let known = self.bedrockNames[original] { return known }
        guard !original.isEmpty else { throw Failure(message: "a tool name must not be empty") }
        let mapped = Self.mappedName(for: original)
        if let other = self.originalNames[mapped], other != original {
            // A 32-bit collision between two names in one request; refuse rather than confuse them.
            throw Failure(message: "tool names \"\(other)\" and \"\(original)\" map to the same Bedrock name \"\(mapped)\"")
        }
        self.bedrockNames[original] = mapped
        self.originalNames[mapped] = original
        return mapped
    }

    /// The client's name for a name Bedrock answered with. A name the map never issued is
    /// returned as it is (the model may call a tool that was not declared).
    package func originalName(for bedrockName: String) -> String {
        self.originalNames[bedrockName] ?? bedrockName
    }

    static func mappedName(for original: String) -> String {
        if self.isValidBedrockName(original) { return original }
        let safe = String(String.UnicodeScalarView(original.unicodeScalars.map { self.isAllowed($0) ? $0 : "_" }))
        let prefix = safe.prefix(self.maximumLength - self.hashSuffixLength - 1)
        return prefix + "_" + self.hashSuffix(of: original)
    }

    /// FNV-1a over the UTF-8 bytes, folded to 32 bits: cheap, stable across runs and platforms
    /// (unlike `Hasher`), and enough to keep a request's handful of names apart.
    static func hashSuffix(of name: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        let hex = String(folded, radix: 16)
        return String(repeating: "0", count: self.hashSuffixLength - hex.count) + hex
    }
}
