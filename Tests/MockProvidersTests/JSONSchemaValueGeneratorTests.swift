import Foundation
import MockProviders
import Testing
import WireFormats

@Suite("JSON Schema value generator")
struct JSONSchemaValueGeneratorTests {
    static let schemas: [(String, JSONValue)] = [
        ("scalars", [
            "type": "object",
            "properties": [
                "name": ["type": "string", "minLength": 20], "code": ["type": "string", "maxLength": 3],
                "count": ["type": "integer", "minimum": 5], "ratio": ["type": "number", "maximum": 0.5],
                "flag": ["type": "boolean"], "unit": ["enum": ["celsius", "fahrenheit"]], "fixed": ["const": 42],
                "day": ["type": "string", "format": "date"],
            ],
            "required": ["name", "code", "count", "ratio", "flag", "unit", "fixed", "day"],
            "additionalProperties": false,
        ]),
        ("nested objects and arrays", [
            "type": "object",
            "properties": [
                "where": ["type": "object", "properties": ["lat": ["type": "number"], "lon": ["type": "number"]], "required": ["lat", "lon"], "additionalProperties": false],
                "tags": ["type": "array", "items": ["type": "string"], "minItems": 2],
                "matrix": ["type": "array", "items": ["type": "array", "items": ["type": "integer"]]],
            ],
            "required": ["where", "tags", "matrix"],
            "additionalProperties": false,
        ]),
        ("pydantic style $defs, anyOf and nullable", [
            "$defs": ["Address": ["type": "object", "properties": ["street": ["type": "string"]], "required": ["street"], "additionalProperties": false]],
            "type": "object",
            "properties": [
                "home": ["$ref": "#/$defs/Address"],
                "nickname": ["anyOf": [["type": "string"], ["type": "null"]]],
                "age": ["type": ["integer", "null"]],
            ],
            "required": ["home", "nickname", "age"],
            "additionalProperties": false,
        ]),
        ("no properties", ["type": "object"]),
    ]

    @Test("generated values validate against their schema", arguments: Self.schemas.indices)
    func validates(index: Int) throws {
        let (name, schema) = Self.schemas[index]
        let value = JSONSchemaValueGenerator(rootSchema: schema).value()
        #expect(JSONSchemaValidator.problems(value, against: schema) == [], "\(name)")
        // What the client receives is the JSON string; it must parse back to a valid value too.
        let reparsed = try JSONValue(parsing: value.encodedData())
        #expect(JSONSchemaValidator.problems(reparsed, against: schema) == [], "\(name)")
    }

    @Test("values are deterministic and follow the documented rules")
    func documentedRules() throws {
        let schema = Self.schemas[0].1
        let value = JSONSchemaValueGenerator(rootSchema: schema).value()
        #expect(value == JSONSchemaValueGenerator(rootSchema: schema).value())
        #expect(value["unit"] == "celsius")
        #expect(value["fixed"] == 42)
        #expect(value["count"] == 5)
        #expect(value["code"] == "cod")
        #expect(value["day"] == "2024-01-01")
        #expect(value["name"]?.stringValue?.hasPrefix("name value") == true)
    }

    @Test("a recursive schema still ends")
    func recursion() {
        let schema: JSONValue = [
            "$defs": ["Node": ["type": "object", "properties": ["child": ["$ref": "#/$defs/Node"]]]],
            "$ref": "#/$defs/Node",
        ]
        let value = JSONSchemaValueGenerator(rootSchema: schema).value()
        #expect(value.objectValue != nil)
    }
}
