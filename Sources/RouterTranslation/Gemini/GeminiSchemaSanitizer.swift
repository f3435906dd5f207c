package import WireFormats

/// Rewrites a JSON Schema (an OpenAI tool's `parameters`, or a `json_schema` response format)
/// into the OpenAPI subset Gemini accepts in `parameters` and `responseSchema`.
///
/// Why: Gemini answers 400 for keywords outside its subset — `additionalProperties` and `strict`
/// above all, which every "strict" OpenAI client sends (Portkey #837) — for non-string enums, for
/// `$ref`, and for schemas nested deeper than it allows (Portkey #1546). So this keeps what Gemini
/// can express, inlines local `$ref`s, turns `type: [x, "null"]` into `nullable`, reports every
/// keyword it had to drop, and refuses (rather than silently truncates) what cannot be expressed:
/// recursive references and nesting beyond `maximumDepth`.
package struct GeminiSchemaSanitizer: Sendable {
    /// Gemini does not document its nesting limit; it rejects "a schema … exceeds the maximum
    /// allowed nesting depth" somewhere past a dozen levels of real schemas. Counted in schema
    /// levels: the root is 1, each property, `items` or `anyOf` member adds one.
    package static let defaultMaximumDepth = 16

    /// Keywords of Gemini's `Schema` message; everything else is dropped.
    static let acceptedKeywords: Set<String> = [
        "type", "format", "title", "description", "nullable", "enum", "items", "properties", "required",
        "minItems", "maxItems", "minProperties", "maxProperties", "minLength", "maxLength", "pattern",
        "minimum", "maximum", "anyOf", "propertyOrdering", "default", "example",
    ]

    /// `format` values Gemini accepts per type; other formats (`uri`, `email`, …) are a 400.
    static let acceptedFormats: [String: Set<String>] = [
        "string": ["enum", "date-time"], "integer": ["int32", "int64"], "number": ["float", "double"],
    ]

    package struct Failure: Error, Sendable, Equatable {
        /// Where in the schema, as a JSON-pointer-like path (`/properties/a/items`).
        package var path: String
        package var message: String
    }

    package struct Result: Sendable, Equatable {
        package var schema: JSONValue
        /// Keywords removed, sorted and without repeats (`additionalProperties`, `enum (non-string)` …).
        package var droppedKeywords: [String]
    }

    package var maximumDepth: Int

    package init(maximumDepth: Int = GeminiSchemaSanitizer.defaultMaximumDepth) {
        self.maximumDepth = maximumDepth
    }

    package func sanitize(_ schema: JSONValue) throws(Failure) -> Result {
        var walk = Walk(root: schema, maximumDepth: self.maximumDepth)
        let sanitized = try walk.sanitize(schema, path: "", depth: 1, expandingReferences: [])
        return Result(schema: sanitized, droppedKeywords: walk.dropped.sorted())
    }

    /// The state of one sanitisation: the root (for `$ref` lookup) and what was dropped.
    private struct Walk {
        let root: JSONValue
        let maximumDepth: Int
        var dropped: Set<String> = []

        mutating func sanitize(
            _ schema: JSONValue, path: String, depth: Int, expandingReferences: [String]
        ) throws(Failure) -> JSONValue {
            guard depth <= self.maximumDepth else {
                throw Failure(
                    path: path.isEmpty ? "/" : path,
                    message: "the schema nests deeper than \(self.maximumDepth) levels, which Gemini cannot accept")
            }
            guard var object = schema.objectValue else {
                // `true`/`false` schemas and other non-objects: Gemini has no form for them.
                if schema != .bool(true) { self.dropped.insert("non-object schema") }
                return .object([:])
            }
            var references = expandingReferences
            if let reference = object["$ref"]?.stringValue {
                guard !references.contains(reference) else {
                    throw Failure(
                        path: path.isEmpty ? "/" : path,
                        message: "the schema refers to itself through \(reference); Gemini schemas cannot be recursive")
                }
                guard let target = self.resolve(reference) else {
                    throw Failure(path: path.isEmpty ? "/" : path, message: "\(reference) names no definition in the schema")
                }
                references.append(reference)
                object.removeValue(forKey: "$ref")
                // Keywords written beside the reference (a description, usually) win over the target's.
                object = target.merging(object) { _, sibling in sibling }
            }
            if let members = object["allOf"]?.arrayValue {
                object.removeValue(forKey: "allOf")
                object = self.mergeAllOf(members, into: object)
            }
            if let members = object["oneOf"], object["anyOf"] == nil {
                // Gemini has only anyOf; for generation "exactly one" and "at least one" coincide.
                object["anyOf"] = members
                object.removeValue(forKey: "oneOf")
            }
            if let constant = object["const"] {
                object.removeValue(forKey: "const")
                if let text = constant.stringValue, object["enum"] == nil {
                    object["enum"] = [.string(text)]
                } else {
                    self.dropped.insert("const (non-string)")
                }
            }

            var result: [String: JSONValue] = [:]
            for (key, value) in object {
                switch key {
                case "type":
                    self.applyType(value, to: &result)
                case "properties":
                    guard let properties = value.objectValue else {
                        self.dropped.insert("properties")
                        continue
                    }
                    var sanitizedProperties: [String: JSONValue] = [:]
                    for (name, property) in properties {
                        sanitizedProperties[name] = try self.sanitize(
                            property, path: path + "/properties/" + name, depth: depth + 1,
                            expandingReferences: references)
                    }
                    // Gemini rejects an OBJECT whose `properties` is empty: leave the key out.
                    if !sanitizedProperties.isEmpty { result["properties"] = .object(sanitizedProperties) }
                case "items":
                    if value.arrayValue != nil {
                        self.dropped.insert("items (tuple form)")
                    } else {
                        result["items"] = try self.sanitize(
                            value, path: path + "/items", depth: depth + 1, expandingReferences: references)
                    }
                case "anyOf":
                    var members: [JSONValue] = []
                    for (index, member) in (value.arrayValue ?? []).enumerated() {
                        if member["type"]?.stringValue == "null" {
                            result["nullable"] = true
                            continue
                        }
                        members.append(
                            try self.sanitize(
                                member, path: path + "/anyOf/\(index)", depth: depth + 1,
                                expandingReferences: references))
                    }
                    if members.count == 1, let only = members.first?.objectValue {
                        // `anyOf: [X, null]` is Pydantic's Optional[X]: X itself, nullable.
                        result.merge(only) { existing, _ in existing }
                    } else if !members.isEmpty {
                        result["anyOf"] = .array(members)
                    }
                case "enum":
                    let values = value.arrayValue ?? []
                    if values.allSatisfy({ $0.stringValue != nil }) {
                        result["enum"] = value
                    } else {
                        self.dropped.insert("enum (non-string)")
                    }
                case "format", "required", "nullable":
                    result[key] = value
                case "$defs", "definitions":
                    // Their entries were inlined where `$ref` named them.
                    continue
                default:
                    if Self.acceptedKeywordsAfterWalk.contains(key) {
                        result[key] = value
                    } else {
                        self.dropped.insert(key)
                    }
                }
            }
            self.finish(&result)
            return .object(result)
        }

        static let acceptedKeywordsAfterWalk = GeminiSchemaSanitizer.acceptedKeywords.subtracting([
            "type", "properties", "items", "anyOf", "enum", "format", "required", "nullable",
        ])

        /// `type` may be a list in JSON Schema; Gemini takes one type plus `nullable`.
        mutating func applyType(_ value: JSONValue, to result: inout [String: JSONValue]) {
            if let single = value.stringValue {
                if single == "null" { result["nullable"] = true } else { result["type"] = .string(single) }
                return
            }
            let types = (value.arrayValue ?? []).compactMap(\.stringValue)
            let nonNull = types.filter { $0 != "null" }
            if types.count != nonNull.count { result["nullable"] = true }
            if nonNull.count == 1, let only = nonNull.first {
                result["type"] = .string(only)
            } else if nonNull.count > 1 {
                result["anyOf"] = .array(nonNull.map { ["type": .string($0)] })
            }
        }

        /// Checks that depend on more than one keyword: formats by type, `required` naming
        /// properties that exist.
        mutating func finish(_ result: inout [String: JSONValue]) {
            if let format = result["format"]?.stringValue {
                let type = result["type"]?.stringValue?.lowercased() ?? ""
                if !(GeminiSchemaSanitizer.acceptedFormats[type]?.contains(format) ?? false) {
                    result.removeValue(forKey: "format")
                    self.dropped.insert("format \(format)")
                }
            }
            if let required = result["required"]?.arrayValue {
                let names = Set((result["properties"]?.objectValue ?? [:]).keys)
                let kept = required.filter { $0.stringValue.map(names.contains) ?? false }
                if kept.isEmpty { result.removeValue(forKey: "required") } else { result["required"] = .array(kept) }
            }
        }

        /// `#/$defs/Name` or `#/definitions/Name` in the root schema; other references (remote
        /// URLs, JSON pointers elsewhere) are not followed.
        func resolve(_ reference: String) -> [String: JSONValue]? {
            for prefix in ["#/$defs/", "#/definitions/"] where reference.hasPrefix(prefix) {
                let name = String(reference.dropFirst(prefix.count))
                let container = prefix == "#/$defs/" ? "$defs" : "definitions"
                return self.root[container]?[name]?.objectValue
            }
            if reference == "#" { return self.root.objectValue }
            return nil
        }

        /// `allOf` is merged shallowly: properties and `required` are unioned, other keywords
        /// keep the first value seen (the schema's own first).
        func mergeAllOf(_ members: [JSONValue], into object: [String: JSONValue]) -> [String: JSONValue] {
            var merged = object
            for member in members {
                guard var memberObject = member.objectValue else { continue }
                if let reference = memberObject["$ref"]?.stringValue, let target = self.resolve(reference) {
                    memberObject.removeValue(forKey: "$ref")
                    memberObject = target.merging(memberObject) { _, sibling in sibling }
                }
                for (key, value) in memberObject {
                    switch key {
                    case "properties":
                        let existing = merged["properties"]?.objectValue ?? [:]
                        merged["properties"] = .object(existing.merging(value.objectValue ?? [:]) { first, _ in first })
                    case "required":
                        let existing = merged["required"]?.arrayValue ?? []
                        let added = (value.arrayValue ?? []).filter { !existing.contains($0) }
                        merged["required"] = .array(existing + added)
                    default:
                        if merged[key] == nil { merged[key] = value }
                    }
                }
            }
            return merged
        }
    }
}
