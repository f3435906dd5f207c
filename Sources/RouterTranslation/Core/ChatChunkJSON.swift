/// Writes the JSON of the chunks that make up nearly every translated stream — one choice whose
/// delta carries text, reasoning, a refusal or the role; no tool calls, no usage — straight into
/// bytes: the same bytes ``TranslationJSON``'s encoder writes (sorted keys, unescaped slashes).
///
/// Why: on a translated stream one chunk goes out per upstream event, and Foundation's
/// `JSONEncoder` (boxing every value, sorting keys, casting dynamically) took about a sixth of
/// the proxy's CPU (perf on `router → anthropic`, docs/benchmarks.md). Chunks of any other shape
/// return `false` and take the encoder, so this stays small and its output provably identical
/// (`ChatChunkJSONTests` compares it with the encoder's, byte for byte).
package enum ChatChunkJSON {
    /// Appends `chunk`'s JSON to `out` and returns true, or leaves `out` as it was and returns
    /// false when the chunk is not of the common shape.
    package static func write(_ chunk: ChatCompletionChunk, into out: inout [UInt8]) -> Bool {
        guard chunk.choices.count == 1, chunk.usage == nil, chunk.systemFingerprint == nil else { return false }
        let choice = chunk.choices[0]
        let delta = choice.delta
        guard delta.toolCalls == nil else { return false }
        // Keys in sorted order, as the encoder writes them.
        out.append(contentsOf: #"{"choices":[{"delta":{"#.utf8)
        var separator = false
        func field(_ name: String, _ value: String?) {
            guard let value else { return }
            if separator { out.append(UInt8(ascii: ",")) }
            separator = true
            appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            appendString(value, to: &out)
        }
        field("content", delta.content)
        field("reasoning_content", delta.reasoningContent)
        field("refusal", delta.refusal)
        field("role", delta.role)
        out.append(contentsOf: #"},"finish_reason":"#.utf8)
        if let reason = choice.finishReason {
            appendString(reason.rawValue, to: &out)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(contentsOf: #","index":"#.utf8)
        out.append(contentsOf: String(choice.index).utf8)
        out.append(contentsOf: #"}],"created":"#.utf8)
        out.append(contentsOf: String(chunk.created).utf8)
        out.append(contentsOf: #","id":"#.utf8)
        appendString(chunk.id, to: &out)
        out.append(contentsOf: #","model":"#.utf8)
        appendString(chunk.model, to: &out)
        out.append(contentsOf: #","object":"#.utf8)
        appendString(chunk.object, to: &out)
        out.append(UInt8(ascii: "}"))
        return true
    }

    /// A JSON string as Foundation's writer escapes it: `"` and `\`, the short escapes for
    /// backspace, form feed, newline, carriage return and tab, `\u00xx` for the other control
    /// characters; everything else (slashes, DEL, non-ASCII) as UTF-8.
    static func appendString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
                default:
                    out.append(contentsOf: "u00".utf8)
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0xF)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
