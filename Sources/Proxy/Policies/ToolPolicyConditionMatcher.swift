import Foundation
import Gateway
import WireFormats

/// `{key, operator, value}` against a JSON document.
///
/// The key is a path: fields separated by dots, `[*]` after a field for every element of an
/// array (`items[*].url`), `[n]` for one element, `$` for the whole document (a plain-text tool
/// output). A path that fan-outs holds when any value it reaches satisfies the operator; the
/// negative operators (`notEqual`, `notContains`) hold when none reaches the positive one. A
/// path that reaches nothing makes the condition false, whatever the operator. Numbers and
/// booleans compare as their JSON text; objects and arrays as their compact JSON.
enum ToolPolicyConditionMatcher {
    static func holds(_ condition: ToolPolicyCondition, on document: JSONValue) -> Bool {
        let values = self.resolve(path: condition.key, in: document).map(Self.text(of:))
        guard !values.isEmpty else { return false }
        switch condition.operator {
        case .equal: return values.contains(condition.value)
        case .notEqual: return !values.contains(condition.value)
        case .contains: return values.contains { $0.contains(condition.value) }
        case .notContains: return !values.contains { $0.contains(condition.value) }
        case .startsWith: return values.contains { $0.hasPrefix(condition.value) }
        case .endsWith: return values.contains { $0.hasSuffix(condition.value) }
        case .regex:
            // Validated when the policy was stored; an uncompilable one never matches.
            guard let regex = try? Regex(condition.value) else { return false }
            return values.contains { $0.contains(regex) }
        }
    }

    static func resolve(path: String, in document: JSONValue) -> [JSONValue] {
        if path == "$" { return [document] }
        var current = [document]
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            var field = Substring(segment)
            var subscripts: [Substring] = []
            while field.hasSuffix("]"), let open = field.lastIndex(of: "[") {
                subscripts.insert(field[field.index(after: open)..<field.index(before: field.endIndex)], at: 0)
                field = field[..<open]
            }
            if !field.isEmpty {
                current = current.compactMap { $0[String(field)] }
            }
            for subscriptText in subscripts {
                current = current.flatMap { value -> [JSONValue] in
                    guard let elements = value.arrayValue else { return [] }
                    if subscriptText == "*" { return elements }
                    guard let index = Int(subscriptText), elements.indices.contains(index) else { return [] }
                    return [elements[index]]
                }
            }
        }
        return current
    }

    static func text(of value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .array, .object: return value.encodedString()
        }
    }
}
