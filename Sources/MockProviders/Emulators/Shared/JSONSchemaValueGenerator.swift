import Foundation
package import WireFormats

/// Builds a deterministic JSON value that validates against a JSON Schema: every emulator's
/// tool-call arguments (OpenAI `parameters`, Anthropic `input_schema`, Gemini `parameters`,
/// Bedrock `inputSchema.json`, Cohere `parameters`) and structured answers (``StructuredReply``:
/// OpenAI `response_format: json_schema`, Gemini `responseSchema` / `responseJsonSchema`).
///
/// Types are read case-insensitively, so Gemini's OpenAPI subset (`OBJECT`, `STRING`) works as is.
/// Rules, per schema: `const` wins, then the first `enum` value; `anyOf`/`oneOf` take their first
/// branch and `allOf` merges object branches; a `type` list takes its first non-`null` type.
/// Objects get every declared property (so every `required` one) and nothing else, which also
/// satisfies `additionalProperties: false`; strings are derived from the property name
/// (`"<name> value"`), or a fixed sample for `format` date, date-time, time, email, uri and uuid,
/// padded or cut to `minLength`/`maxLength`; integers and numbers take `minimum` (or
/// `exclusiveMinimum` + 1), else 1 capped by `maximum`; booleans are `true`; arrays get
/// `max(1, minItems)` items. Local `$ref`s (`#/$defs/...`, `#/definitions/...`) are followed,
/// to a bounded depth so a recursive schema still ends.
package struct JSONSchemaValueGenerator: Sendable {
    let root: JSONValue
    static let maximumDepth = 16

    package init(rootSchema: JSONValue) { self.root = rootSchema }

    package func value() -> JSONValue {
        self.value(for: self.root, propertyName: "value", depth: 0)
    }

    func value(for schema: JSONValue, propertyName: String, depth: Int) -> JSONValue {
        guard depth < Self.maximumDepth, case .object = schema else { return .null }
        if let reference = schema["$ref"]?.stringValue {
            return self.value(for: self.resolve(reference), propertyName: propertyName, depth: depth + 1)
        }
        if let constant = schema["const"] { return constant }
        if let first = schema["enum"]?.arrayValue?.first { return first }
        for key in ["anyOf", "oneOf"] {
            if let branches = schema[key]?.arrayValue {
                let branch = branches.first(where: { Self.type(of: $0) != "null" }) ?? branches.first ?? .object([:])
                return self.value(for: branch, propertyName: propertyName, depth: depth + 1)
            }
        }
        if let branches = schema["allOf"]?.arrayValue {
            return self.mergedObject(branches.map { self.value(for: $0, propertyName: propertyName, depth: depth + 1) })
        }
        switch Self.type(of: schema) {
        case "object": return self.object(for: schema, depth: depth)
        case "array": return self.array(for: schema, propertyName: propertyName, depth: depth)
        case "string": return .string(Self.string(for: schema, propertyName: propertyName))
        case "integer": return .int(Self.integer(for: schema))
        case "number": return .double(Double(Self.integer(for: schema)))
        case "boolean": return .bool(true)
        case "null": return .null
        default: return .object([:])
        }
    }

    /// The schema's type: the first non-`null` entry of a type list, or implied by its keywords.
    static func type(of schema: JSONValue) -> String? {
        if let type = schema["type"]?.stringValue { return type.lowercased() }
        if let types = schema["type"]?.arrayValue?.compactMap(\.stringValue).map({ $0.lowercased() }) {
            return types.first(where: { $0 != "null" }) ?? types.first
        }
        if schema["properties"] != nil { return "object" }
        if schema["items"] != nil { return "array" }
        return nil
    }

    func object(for schema: JSONValue, depth: Int) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (name, propertySchema) in schema["properties"]?.objectValue ?? [:] {
            object[name] = self.value(for: propertySchema, propertyName: name, depth: depth + 1)
        }
        // A required name with no declared schema still has to be present.
        for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
            object[name] = .string("\(name) value")
        }
        return .object(object)
    }

    func array(for schema: JSONValue, propertyName: String, depth: Int) -> JSONValue {
        let count = max(1, schema["minItems"]?.intValue ?? 1)
        let itemSchema = schema["items"] ?? .object([:])
        let items = (0..<count).map { _ in self.value(for: itemSchema, propertyName: propertyName, depth: depth + 1) }
        return .array(items)
    }

    static func string(for schema: JSONValue, propertyName: String) -> String {
        var text: String
        switch schema["format"]?.stringValue {
        case "date": text = "2024-01-01"
        case "date-time": text = "2024-01-01T00:00:00Z"
        case "time": text = "00:00:00"
        case "email": text = "user@example.com"
        case "uri", "url": text = "https://example.com/"
        case "uuid": text = "00000000-0000-4000-8000-000000000000"
        default: text = "\(propertyName) value"
        }
        if let minimum = schema["minLength"]?.intValue, text.count < minimum {
            text += String(repeating: "x", count: minimum - text.count)
        }
        if let maximum = schema["maxLength"]?.intValue, text.count > maximum {
            text = String(text.prefix(max(0, maximum)))
        }
        return text
    }

    static func integer(for schema: JSONValue) -> Int {
        if let minimum = schema["minimum"]?.doubleValue { return Int(minimum.rounded(.up)) }
        if let exclusive = schema["exclusiveMinimum"]?.doubleValue { return Int(exclusive.rounded(.down)) + 1 }
        if let maximum = schema["maximum"]?.doubleValue { return min(1, Int(maximum.rounded(.down))) }
        if let exclusive = schema["exclusiveMaximum"]?.doubleValue { return min(1, Int(exclusive.rounded(.up)) - 1) }
        return 1
    }

    func resolve(_ reference: String) -> JSONValue {
        guard reference.hasPrefix("#/") else { return .object([:]) }
        var node = self.root
        for component in reference.dropFirst(2).split(separator: "/") {
            let key = component.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = node[key] else { return .object([:]) }
            node = next
        }
        return node
    }

    func mergedObject(_ values: [JSONValue]) -> JSONValue {
        var merged: [String: JSONValue] = [:]
        for value in values {
            guard let object = value.objectValue else { return value }
            merged.merge(object, uniquingKeysWith: { first, _ in first })
        }
        return .object(merged)
    }
}
