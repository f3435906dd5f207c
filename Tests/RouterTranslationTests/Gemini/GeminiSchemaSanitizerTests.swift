import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("Gemini schema sanitiser")
struct GeminiSchemaSanitizerTests {
    let sanitizer = GeminiSchemaSanitizer()

    @Test("Portkey #837: additionalProperties, strict and $schema are removed at every level and reported")
    func portkey837_additionalPropertiesAndStrictRemoved() throws {
        let schema: JSONValue = [
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object", "strict": true, "additionalProperties": false,
            "properties": [
                "address": [
                    "type": "object", "additionalProperties": false,
                    "properties": ["city": ["type": "string"]], "required": ["city"],
                ]
            ],
            "required": ["address"],
        ]
        let result = try self.sanitizer.sanitize(schema)
        #expect(
            result.schema == [
                "type": "object",
                "properties": [
                    "address": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]
                ],
                "required": ["address"],
            ])
        #expect(result.droppedKeywords == ["$schema", "additionalProperties", "strict"])
    }

    @Test("non-string enums are dropped, string enums kept")
    func nonStringEnumsDropped() throws {
        let result = try self.sanitizer.sanitize([
            "type": "object",
            "properties": [
                "level": ["type": "integer", "enum": [1, 2, 3]],
                "unit": ["type": "string", "enum": ["c", "f"]],
            ],
        ])
        #expect(result.schema["properties"]?["level"] == ["type": "integer"])
        #expect(result.schema["properties"]?["unit"] == ["type": "string", "enum": ["c", "f"]])
        #expect(result.droppedKeywords == ["enum (non-string)"])
    }

    @Test("type lists and anyOf-with-null become nullable")
    func nullableForms() throws {
        let result = try self.sanitizer.sanitize([
            "type": "object",
            "properties": [
                "a": ["type": ["string", "null"]],
                "b": ["anyOf": [["type": "integer"], ["type": "null"]], "description": "optional"],
            ],
        ])
        #expect(result.schema["properties"]?["a"] == ["type": "string", "nullable": true])
        #expect(result.schema["properties"]?["b"] == ["type": "integer", "nullable": true, "description": "optional"])
        #expect(result.droppedKeywords.isEmpty)
    }

    @Test("local $ref is inlined and $defs disappear without being reported")
    func referencesInlined() throws {
        let result = try self.sanitizer.sanitize([
            "type": "object",
            "$defs": ["Point": ["type": "object", "properties": ["x": ["type": "number"]]]],
            "properties": ["origin": ["$ref": "#/$defs/Point", "description": "where"]],
        ])
        #expect(
            result.schema == [
                "type": "object",
                "properties": [
                    "origin": ["type": "object", "description": "where", "properties": ["x": ["type": "number"]]]
                ],
            ])
        #expect(result.droppedKeywords.isEmpty)
    }

    @Test("a recursive $ref is refused with a clear message")
    func recursiveReferenceRefused() {
        let schema: JSONValue = [
            "$defs": ["Node": ["type": "object", "properties": ["child": ["$ref": "#/$defs/Node"]]]],
            "$ref": "#/$defs/Node",
        ]
        #expect(throws: GeminiSchemaSanitizer.Failure.self) { try self.sanitizer.sanitize(schema) }
        do {
            _ = try self.sanitizer.sanitize(schema)
        } catch {
            #expect(error.message.contains("recursive"))
            #expect(error.path == "/properties/child")
        }
    }

    @Test("Portkey #1546: nesting beyond the limit is a TranslationError-ready failure naming the path, not a silent cut")
    func portkey1546_nestingDepthCapped() throws {
        var deep: JSONValue = ["type": "string"]
        for _ in 0..<5 { deep = ["type": "object", "properties": ["n": deep]] }
        let shallow = GeminiSchemaSanitizer(maximumDepth: 6)
        #expect(try shallow.sanitize(deep).schema == deep)
        let tight = GeminiSchemaSanitizer(maximumDepth: 5)
        do {
            _ = try tight.sanitize(deep)
            Issue.record("a schema six levels deep passed a limit of five")
        } catch {
            #expect(error.path == "/properties/n/properties/n/properties/n/properties/n/properties/n")
            #expect(error.message.contains("deeper than 5"))
        }
    }

    @Test("the sanitiser adds no nesting of its own (Portkey #1546's cause)")
    func noAddedNesting() throws {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "tasks": [
                    "type": "array",
                    "items": [
                        "type": "object",
                        "properties": [
                            "stories": ["type": "array", "items": ["type": "object", "properties": ["t": ["type": "string"]]]]
                        ],
                    ],
                ]
            ],
        ]
        #expect(try GeminiSchemaSanitizer(maximumDepth: 6).sanitize(schema).schema == schema)
    }

    @Test("unsupported formats are dropped, Gemini's own kept; empty properties and dangling required removed")
    func formatsAndEmptyObjects() throws {
        let result = try self.sanitizer.sanitize([
            "type": "object",
            "properties": [
                "url": ["type": "string", "format": "uri"],
                "when": ["type": "string", "format": "date-time"],
                "options": ["type": "object", "properties": [:]],
            ],
            "required": ["url", "missing"],
        ])
        #expect(result.schema["properties"]?["url"] == ["type": "string"])
        #expect(result.schema["properties"]?["when"] == ["type": "string", "format": "date-time"])
        #expect(result.schema["properties"]?["options"] == ["type": "object"])
        #expect(result.schema["required"] == ["url"])
        #expect(result.droppedKeywords == ["format uri"])
    }

    @Test("oneOf becomes anyOf, const a one-value enum, allOf is merged")
    func compositionKeywords() throws {
        let result = try self.sanitizer.sanitize([
            "allOf": [
                ["type": "object", "properties": ["a": ["const": "x"]], "required": ["a"]],
                ["properties": ["b": ["oneOf": [["type": "string"], ["type": "integer"]]]], "required": ["b"]],
            ]
        ])
        #expect(
            result.schema == [
                "type": "object",
                "properties": [
                    "a": ["enum": ["x"]],
                    "b": ["anyOf": [["type": "string"], ["type": "integer"]]],
                ],
                "required": ["a", "b"],
            ])
    }
}
