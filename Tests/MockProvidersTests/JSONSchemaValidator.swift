import WireFormats

/// An independent JSON Schema checker for the subset the generator claims to support, so the
/// generator is judged by code it does not share.
enum JSONSchemaValidator {
    /// The problems found, empty when `value` validates.
    static func problems(_ value: JSONValue, against schema: JSONValue, root: JSONValue? = nil, path: String = "$") -> [String] {
        let root = root ?? schema
        if let reference = schema["$ref"]?.stringValue {
            var node = root
            for part in reference.dropFirst(2).split(separator: "/") { node = node[String(part)] ?? .null }
            return problems(value, against: node, root: root, path: path)
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) { return ["\(path): not in enum"] }
        if let constant = schema["const"], constant != value { return ["\(path): not const"] }
        if let branches = schema["anyOf"]?.arrayValue {
            return branches.contains { problems(value, against: $0, root: root, path: path).isEmpty } ? [] : ["\(path): no anyOf branch"]
        }
        var type = schema["type"]?.stringValue
        if let types = schema["type"]?.arrayValue?.compactMap(\.stringValue) {
            if value.isNull && types.contains("null") { return [] }
            type = types.first { $0 != "null" }
        }
        if type == nil, schema["properties"] != nil { type = "object" }
        switch type {
        case "object":
            guard let object = value.objectValue else { return ["\(path): not an object"] }
            let properties = schema["properties"]?.objectValue ?? [:]
            var found: [String] = []
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                found.append("\(path): missing \(name)")
            }
            if schema["additionalProperties"] == .bool(false) {
                for name in object.keys where properties[name] == nil { found.append("\(path): extra \(name)") }
            }
            for (name, item) in object {
                if let propertySchema = properties[name] {
                    found += problems(item, against: propertySchema, root: root, path: "\(path).\(name)")
                }
            }
            return found
        case "array":
            guard let items = value.arrayValue else { return ["\(path): not an array"] }
            var found: [String] = []
            if let minimum = schema["minItems"]?.intValue, items.count < minimum { found.append("\(path): too few items") }
            for (index, item) in items.enumerated() {
                found += problems(item, against: schema["items"] ?? [:], root: root, path: "\(path)[\(index)]")
            }
            return found
        case "string":
            guard let text = value.stringValue else { return ["\(path): not a string"] }
            if let minimum = schema["minLength"]?.intValue, text.count < minimum { return ["\(path): too short"] }
            if let maximum = schema["maxLength"]?.intValue, text.count > maximum { return ["\(path): too long"] }
            return []
        case "integer":
            guard case .int(let number) = value else { return ["\(path): not an integer"] }
            if let minimum = schema["minimum"]?.doubleValue, Double(number) < minimum { return ["\(path): below minimum"] }
            if let maximum = schema["maximum"]?.doubleValue, Double(number) > maximum { return ["\(path): above maximum"] }
            return []
        case "number":
            guard let number = value.doubleValue else { return ["\(path): not a number"] }
            if let minimum = schema["minimum"]?.doubleValue, number < minimum { return ["\(path): below minimum"] }
            return []
        case "boolean":
            return value.boolValue == nil ? ["\(path): not a boolean"] : []
        case "null":
            return value.isNull ? [] : ["\(path): not null"]
        default:
            return []
        }
    }
}
