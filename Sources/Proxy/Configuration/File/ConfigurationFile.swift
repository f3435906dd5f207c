import Foundation
internal import Yams

/// An optional YAML file of `archestra serve` settings (`--config archestra.yaml`, else
/// `ARCHESTRA_CONFIG_FILE`), for deployments that would rather ship one file than forty variables.
///
/// The file is flat and its keys are the environment variables' own names:
///
/// ```yaml
/// ARCHESTRA_PORT: 9000
/// ARCHESTRA_DATABASE_URL: sqlite:///var/lib/archestra/archestra.sqlite
/// ARCHESTRA_TRUSTED_PROXIES: [10.0.0.1, 10.0.0.2]
/// ```
///
/// One name per setting everywhere (README, environment, ConfigMap, file) means nothing to map and
/// nothing to get wrong between them. The file is the lowest layer: a variable set in the
/// environment replaces the file's value, and a flag replaces both. It is checked whole at
/// start-up, before anything listens: unknown keys, values of the wrong shape and values the
/// setting refuses each fail the start with the file, the line and the key — never the value.
package struct ConfigurationFile: Sendable {
    /// One setting as the file wrote it, already in the environment's string form.
    package struct Setting: Sendable, Equatable {
        package let value: String
        package let line: Int

        package init(value: String, line: Int) {
            self.value = value
            self.line = line
        }
    }

    package let path: String
    package let settings: [String: Setting]

    /// Larger than any sensible configuration; a path to something endless (a device, a log) is
    /// refused instead of read.
    static let maximumBytes = 1 << 20

    /// Reads and checks the file at `path`.
    package static func load(path: String, catalog: ProviderCatalog = .standard) throws(ConfigurationFileError) -> ConfigurationFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .unreadable(path: path, reason: "it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable(path: path, reason: "permission denied") }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: Self.maximumBytes + 1) ?? Data()
        } catch {
            throw .unreadable(path: path, reason: "read failed")
        }
        guard data.count <= Self.maximumBytes else { throw .unreadable(path: path, reason: "larger than 1 MiB") }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(path: path, reason: "not UTF-8 text") }
        return try Self.parse(text, path: path, catalog: catalog)
    }

    /// Checks `text` as the contents of `path` (the path only labels messages).
    package static func parse(_ text: String, path: String, catalog: ProviderCatalog = .standard) throws(ConfigurationFileError) -> ConfigurationFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.translate(error, path: path)
        } catch {
            throw .syntax(path: path, line: 0, column: 0, problem: "unreadable YAML")
        }
        // Empty, or only comments: no settings.
        guard let root else { return ConfigurationFile(path: path, settings: [:]) }
        guard case .mapping(let mapping) = root else { throw .notAMapping(path: path, line: root.mark?.line ?? 1) }

        let known = ConfigurationKeys.known(catalog: catalog)
        var settings: [String: Setting] = [:]
        for (keyNode, valueNode) in mapping {
            let line = keyNode.mark?.line ?? 0
            guard case .scalar(let keyScalar) = keyNode, Self.isPlausibleName(keyScalar.string) else {
                throw .unknownKey(path: path, line: line, key: nil, hint: "keys are setting names such as ARCHESTRA_PORT")
            }
            let key = keyScalar.string
            guard known.contains(key) else { throw Self.unknownKey(key, line: line, path: path, known: known) }
            guard settings[key] == nil else { throw .duplicateKey(path: path, line: line, key: key) }
            let value = try Self.value(of: valueNode, key: key, line: line, path: path)
            try Self.check(value, key: key, line: line, path: path)
            settings[key] = Setting(value: value, line: line)
        }
        return ConfigurationFile(path: path, settings: settings)
    }

    /// The environment `archestra serve` configures itself from: the file's settings under the
    /// process environment. A variable that is unset or blank leaves the file's value (the
    /// environment reader treats blank as unset everywhere).
    package func environment(overlaidBy environment: [String: String]) -> [String: String] {
        var merged = environment
        for (key, setting) in self.settings where Self.isBlank(environment[key]) {
            merged[key] = setting.value
        }
        return merged
    }

    /// `error` located in the file when the refused value came from it (not overridden by the
    /// environment); `nil` when the value was the environment's.
    package func locating(_ error: ConfigurationError, environment: [String: String]) -> ConfigurationFileError? {
        guard let setting = self.settings[error.variable], Self.isBlank(environment[error.variable]) else { return nil }
        return .invalidValue(path: self.path, line: setting.line, key: error.variable, problem: error.problem)
    }

    /// The file `serve` reads, if any (`--config` wins over `ARCHESTRA_CONFIG_FILE`), and the
    /// environment with it applied.
    package static func resolve(
        flag: String?,
        environment: [String: String],
        catalog: ProviderCatalog = .standard
    ) throws(ConfigurationFileError) -> (file: ConfigurationFile?, environment: [String: String]) {
        let variable = environment[ConfigurationKeys.fileVariable].flatMap { Self.isBlank($0) ? nil : $0 }
        guard let path = flag ?? variable else { return (nil, environment) }
        let file = try Self.load(path: path, catalog: catalog)
        return (file, file.environment(overlaidBy: environment))
    }

    // MARK: - Values

    /// The string the environment would hold for `node`. YAML's own types are accepted where the
    /// environment's text means the same: `true`/`on`/`yes` are a flag's true, `0x10` and `1_000`
    /// are numbers, and a list is the comma-separated form of a list setting.
    private static func value(of node: Node, key: String, line: Int, path: String) throws(ConfigurationFileError) -> String {
        switch node {
        case .scalar(let scalar):
            return try Self.scalarValue(node, scalar: scalar, key: key, line: line, path: path)
        case .sequence(let sequence):
            guard ConfigurationKeys.lists.contains(key) else {
                throw .wrongType(path: path, line: line, key: key, problem: "takes one value, not a list")
            }
            var items: [String] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else {
                    throw .wrongType(path: path, line: item.mark?.line ?? line, key: key, problem: "takes a list of plain values")
                }
                let value = try Self.scalarValue(item, scalar: scalar, key: key, line: item.mark?.line ?? line, path: path)
                guard !value.contains(",") else {
                    throw .wrongType(path: path, line: item.mark?.line ?? line, key: key, problem: "list items cannot contain a comma")
                }
                items.append(value)
            }
            return items.joined(separator: ",")
        case .mapping:
            throw .wrongType(
                path: path, line: line, key: key,
                problem: "takes one value, not a mapping (the file is flat: one `NAME: value` per line)")
        case .alias:
            throw .wrongType(path: path, line: line, key: key, problem: "cannot be a YAML alias")
        }
    }

    private static func scalarValue(_ node: Node, scalar: Node.Scalar, key: String, line: Int, path: String) throws(ConfigurationFileError) -> String {
        let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
        if quoted { return scalar.string }
        switch node.tag.rawValue {
        case Tag.Name.null.rawValue:
            throw .wrongType(path: path, line: line, key: key, problem: "has no value (delete the line to use the default)")
        case Tag.Name.bool.rawValue:
            return node.bool.map { $0 ? "true" : "false" } ?? scalar.string
        case Tag.Name.int.rawValue:
            return node.int.map(String.init) ?? scalar.string
        default:
            return scalar.string
        }
    }

    /// Checks for settings the environment path does not refuse on its own.
    private static func check(_ value: String, key: String, line: Int, path: String) throws(ConfigurationFileError) {
        if key == "ARCHESTRA_LOG_LEVEL", !["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(value) {
            throw .invalidValue(path: path, line: line, key: key, problem: "must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    // MARK: - Keys and errors

    private static func unknownKey(_ key: String, line: Int, path: String, known: Set<String>) -> ConfigurationFileError {
        if key == ConfigurationKeys.fileVariable {
            return .unknownKey(path: path, line: line, key: key, hint: "a configuration file cannot name another; use --config or the environment")
        }
        if ConfigurationKeys.isCloudSDKVariable(key) {
            return .unknownKey(
                path: path, line: line, key: key,
                hint: "cloud SDK variables stay in the environment, where the credential chains (and EKS, AKS, GKE) put them")
        }
        let hint = ConfigurationKeys.suggestion(for: key, among: known).map { "did you mean \($0)?" }
        return .unknownKey(path: path, line: line, key: key, hint: hint ?? "see the environment variables in README.md")
    }

    /// Yams' own messages quote the offending text, which may be a key; only the parser's problem
    /// (a fixed phrase from libyaml) and the position are kept.
    private static func translate(_ error: YamlError, path: String) -> ConfigurationFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return .syntax(path: path, line: mark.line, column: mark.column, problem: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first.flatMap { Self.isPlausibleName($0) ? $0 : nil } ?? "a key"
            return .duplicateKey(path: path, line: context.mark.line, key: key)
        case .reader:
            return .unreadable(path: path, reason: "not readable as YAML text")
        default:
            return .syntax(path: path, line: 0, column: 0, problem: "unreadable YAML")
        }
    }

    /// A name we may echo: letters, digits and underscores in one case, as environment variables
    /// are written. Anything else (a pasted key, which mixes cases, or a sentence) is not repeated
    /// in a message.
    private static func isPlausibleName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let upper = UInt8(ascii: "A")...UInt8(ascii: "Z")
        let lower = UInt8(ascii: "a")...UInt8(ascii: "z")
        let digit = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard let first = bytes.first, bytes.count <= 64, upper.contains(first) || lower.contains(first) else { return false }
        guard bytes.allSatisfy({ upper.contains($0) || lower.contains($0) || digit.contains($0) || $0 == UInt8(ascii: "_") }) else { return false }
        return !(bytes.contains(where: upper.contains) && bytes.contains(where: lower.contains))
    }

    private static func isBlank(_ value: String?) -> Bool {
        value?.trimmingCharacters(in: .whitespaces).isEmpty ?? true
    }
}
