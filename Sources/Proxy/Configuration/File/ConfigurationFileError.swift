/// Why a configuration file was refused. Every message names the file, the line and the key when
/// there is one, and never a value: the file may hold provider keys and the admin token, and a
/// YAML library's own messages quote the offending line.
package enum ConfigurationFileError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read (missing, a directory, no permission, not UTF-8).
    case unreadable(path: String, reason: String)
    /// Not YAML: the parser's problem (which never quotes the text) and where.
    case syntax(path: String, line: Int, column: Int, problem: String)
    /// The document is not a mapping of names to values (a list, a bare word, several documents).
    case notAMapping(path: String, line: Int)
    /// A key that is not a setting. `key` is `nil` when it is not even a plausible name, so that
    /// nothing the file holds by mistake (a pasted key) is echoed.
    case unknownKey(path: String, line: Int, key: String?, hint: String?)
    /// The same key twice; `line` is the first.
    case duplicateKey(path: String, line: Int, key: String)
    /// A mapping where a value belongs, a list for a setting that is not a list, or no value.
    case wrongType(path: String, line: Int, key: String, problem: String)
    /// A value the setting refuses (``ConfigurationError`` from the same checks as the environment).
    case invalidValue(path: String, line: Int, key: String, problem: String)

    package var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read the configuration file \(path): \(reason)"
        case .syntax(let path, let line, let column, let problem):
            return "\(path):\(line):\(column): not valid YAML: \(problem)"
        case .notAMapping(let path, let line):
            return "\(path):\(line): the file must be a mapping of setting names to values, such as `ARCHESTRA_PORT: 9000`"
        case .unknownKey(let path, let line, let key, let hint):
            let name = key.map { "unknown key \($0)" } ?? "a key that is not a setting name"
            return "\(path):\(line): \(name)" + (hint.map { ": \($0)" } ?? "")
        case .duplicateKey(let path, let line, let key):
            return "\(path):\(line): \(key) is set here and again later in the file"
        case .wrongType(let path, let line, let key, let problem), .invalidValue(let path, let line, let key, let problem):
            return "\(path):\(line): \(key) \(problem)"
        }
    }
}
