import Foundation

struct EnvironmentReader: Sendable {
    let values: [String: String]

    init(_ values: [String: String]) { self.values = values }

    /// The value of `name`, or `nil` when unset or blank.
    func string(_ name: String) -> String? {
        guard let value = self.values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// `true`/`1`/`yes` (any case) is true; unset is `false`; anything else is a configuration error.
    func flag(_ name: String) throws(ConfigurationError) -> Bool {
        guard let value = self.string(name)?.lowercased() else { return false }
        switch value {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ConfigurationError(variable: name, problem: "must be true or false")
        }
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = self.string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, problem: "must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// Bytes, written plainly (`52428800`) or with a unit (`50mb`, `512KB`, `1GB`, binary multiples).
    func byteCount(_ name: String) throws(ConfigurationError) -> Int? {
        guard let text = self.string(name)?.lowercased() else { return nil }
        let units: [(suffix: String, multiplier: Int)] = [("gb", 1 << 30), ("mb", 1 << 20), ("kb", 1 << 10), ("b", 1)]
        let (number, multiplier) =
            units.first { text.hasSuffix($0.suffix) }.map { (String(text.dropLast($0.suffix.count)), $0.multiplier) } ?? (text, 1)
        guard let value = Int(number.trimmingCharacters(in: .whitespaces)), value > 0 else {
            throw ConfigurationError(variable: name, problem: "must be a positive byte count such as 52428800 or 50mb")
        }
        return value * multiplier
    }
}
