import Foundation
import NIOCore
import Proxy
import RouterTranslation
import WireFormats

/// The fast paths against the coders they stand in for (differential): what `SmallJSONObject`
/// reads, `JSONDecoder` reads the same (and so do the usage counts and request fields read
/// through it); what `ChatChunkJSON` writes, `JSONEncoder` writes byte for byte.
enum FastPathTargets {
    /// Invariant: the reader accepts only JSON the decoder accepts, and reads the same values.
    static func smallJSONObject(_ bytes: [UInt8]) {
        let data = Data(bytes)
        let usage = bytes.withUnsafeBytes { UsageCounts.read($0) }
        let decodedUsage = try? JSONDecoder().decode(UsageCounts.self, from: data)
        precondition((usage == nil) == (decodedUsage == nil), "UsageCounts.read and JSONDecoder disagree on whether this is a usage object")
        if let usage, let decodedUsage {
            for key in ["prompt_tokens", "input_tokens", "output_tokens", "promptTokenCount", "prompt_tokens_details.cached_tokens"] {
                precondition(usage[key] == decodedUsage[key], "UsageCounts.read read another \(key) than JSONDecoder")
            }
        }
        // The request fields read with the strict reader first: the same outcome as the decoder's
        // (bodies that are not UTF-8 are refused before either, on purpose).
        if String(validating: bytes, as: UTF8.self) != nil {
            let read = try? JSONRequestFields.read(from: ByteBuffer(bytes: bytes))
            let decodedFields = try? JSONDecoder().decode(JSONRequestFields.self, from: data)
            precondition((read == nil) == (decodedFields == nil), "JSONRequestFields.read and JSONDecoder disagree on whether this is a request")
            precondition(read?.model == decodedFields?.model && read?.stream == decodedFields?.stream, "JSONRequestFields.read read other fields than JSONDecoder")
        }
        guard let object = SmallJSONObject.object(data) else { return }
        guard let decoded = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            preconditionFailure("SmallJSONObject read an object JSONDecoder refuses")
        }
        precondition(JSONValue.object(object) == decoded, "SmallJSONObject read another value than JSONDecoder")
    }

    /// The input as a chunk's strings (split at 0xFF, which UTF-8 never contains) and numbers.
    /// Invariant: the common-shape chunk is written, and exactly as the encoder writes it.
    static func chatChunkJSON(_ bytes: [UInt8]) {
        let parts = bytes.split(separator: 0xFF, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        func part(_ index: Int) -> String? { index < parts.count && !parts[index].isEmpty ? parts[index] : nil }
        let number = bytes.prefix(8).reduce(0) { $0 << 8 | Int($1) }
        let reasons: [FinishReason?] = [nil, .stop, .length, .toolCalls, .contentFilter, .functionCall]
        let chunk = ChatCompletionChunk(
            id: part(0) ?? "chatcmpl-x", created: number, model: part(1) ?? "m",
            choices: [.init(
                index: number % 7, delta: ChatCompletionDelta(role: part(2), content: part(3), reasoningContent: part(4), refusal: part(5)),
                finishReason: reasons[abs(number % reasons.count)])])
        var written: [UInt8] = []
        precondition(ChatChunkJSON.write(chunk, into: &written), "a common-shape chunk was declined")
        guard let encoded = try? TranslationJSON.encode(chunk) else { preconditionFailure("the encoder refused a chunk") }
        precondition(written == Array(encoded), "ChatChunkJSON wrote other bytes than the encoder")
    }
}
