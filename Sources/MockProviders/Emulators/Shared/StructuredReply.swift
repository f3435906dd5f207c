package import WireFormats

/// The answer to a request for JSON output that follows a schema (OpenAI
/// `response_format: {"type":"json_schema"}`, Gemini `responseMimeType: "application/json"` with
/// `responseSchema` or `responseJsonSchema`): the text is the JSON of
/// ``JSONSchemaValueGenerator``'s value (keys sorted, no whitespace outside strings), so it
/// parses and validates against the schema.
///
/// Streamed, the text goes out in 8-character fragments (the same cut as tool-call arguments);
/// the fragment count is the answer's token count. A token limit does not cut it: the emulator
/// never returns JSON that fails to parse unless a scenario asks for a broken stream.
package struct StructuredReply: Sendable, Hashable {
    package let text: String

    /// The JSON answer for `schema`; a schema that says nothing yields `{}`.
    package init(schema: JSONValue) {
        self.text = JSONSchemaValueGenerator(rootSchema: schema).value().encodedString()
    }

    /// The answer when JSON is asked for without a schema (OpenAI `json_object`, Gemini
    /// `application/json` alone): an object carrying the deterministic reply text.
    package init(jsonObjectWith reply: String) {
        self.text = JSONValue.object(["answer": .string(reply)]).encodedString()
    }

    /// OpenAI's request for JSON: Chat's `response_format` (`{"type":"json_schema","json_schema":
    /// {"schema"}}` or `{"type":"json_object"}`) or Responses' `text.format` (`{"type":"json_schema",
    /// "schema"}`); `nil` for text output.
    package init?(openAIFormat format: JSONValue?, conversation: OpenAIConversation) {
        switch format?["type"]?.stringValue {
        case "json_schema":
            self.init(schema: format?["json_schema"]?["schema"] ?? format?["schema"] ?? [:])
        case "json_object":
            self.init(jsonObjectWith: DeterministicReply(for: conversation).words.joined(separator: " "))
        default:
            return nil
        }
    }

    package var deltas: [String] { Self.fragments(of: self.text) }

    /// `text` cut into pieces of `size` characters that concatenate back to it.
    package static func fragments(of text: String, size: Int = 8) -> [String] {
        var fragments: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            fragments.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return fragments
    }
}
