package import WireFormats

/// The structure of JSON documents without their values: every path (`choices[].delta.content`)
/// with the set of JSON types seen there. Array elements share one path (`[]`), so a longer or
/// shorter answer has the same shape; a field that appears, disappears or changes type does not.
package struct JSONShape: Sendable, Hashable {
    /// Path → type names (`string`, `number`, `bool`, `null`, `object`, `array`).
    package private(set) var fields: [String: Set<String>] = [:]

    package init() {}

    package init(_ value: JSONValue) {
        self.add(value)
    }

    package mutating func add(_ value: JSONValue) {
        self.add(value, at: "")
    }

    package mutating func formUnion(_ other: JSONShape) {
        for (path, types) in other.fields { self.fields[path, default: []].formUnion(types) }
    }

    private mutating func add(_ value: JSONValue, at path: String) {
        let here = path.isEmpty ? "$" : path
        switch value {
        case .null: self.fields[here, default: []].insert("null")
        case .bool: self.fields[here, default: []].insert("bool")
        case .int, .double: self.fields[here, default: []].insert("number")
        case .string: self.fields[here, default: []].insert("string")
        case .array(let elements):
            self.fields[here, default: []].insert("array")
            for element in elements { self.add(element, at: path + "[]") }
        case .object(let members):
            self.fields[here, default: []].insert("object")
            for (key, member) in members { self.add(member, at: path.isEmpty ? key : "\(path).\(key)") }
        }
    }

    /// What changed from `self` to `newer`, paths under any of `ignoring` left out.
    package func changes(to newer: JSONShape, ignoring: [String] = []) -> [ShapeChange] {
        let paths = Set(self.fields.keys).union(newer.fields.keys).filter { path in
            !ignoring.contains { path == $0 || path.hasPrefix($0 + ".") || path.hasPrefix($0 + "[]") }
        }
        return paths.sorted().compactMap { path in
            switch (self.fields[path], newer.fields[path]) {
            case (nil, let types?): return .added(path: path, types: types)
            case (let types?, nil): return .removed(path: path, types: types)
            case (let old?, let new?) where old != new: return .retyped(path: path, from: old, to: new)
            default: return nil
            }
        }
    }
}

/// One difference between two ``JSONShape``s.
package enum ShapeChange: Sendable, Hashable, CustomStringConvertible {
    case added(path: String, types: Set<String>)
    case removed(path: String, types: Set<String>)
    case retyped(path: String, from: Set<String>, to: Set<String>)

    package var description: String {
        switch self {
        case .added(let path, let types): "+ \(path) (\(Self.names(types)))"
        case .removed(let path, let types): "- \(path) (\(Self.names(types)))"
        case .retyped(let path, let from, let to): "~ \(path) \(Self.names(from)) → \(Self.names(to))"
        }
    }

    private static func names(_ types: Set<String>) -> String { types.sorted().joined(separator: "|") }
}
