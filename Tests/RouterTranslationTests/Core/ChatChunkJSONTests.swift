import Foundation
import Testing
import TestSupport

@testable import RouterTranslation

/// The hand-written chunk writer must write exactly what the encoder writes, or it must decline.
@Suite("ChatChunkJSON")
struct ChatChunkJSONTests {
    private static func encoded(_ chunk: ChatCompletionChunk) throws -> String {
        String(decoding: try TranslationJSON.encode(chunk), as: UTF8.self)
    }

    private static func written(_ chunk: ChatCompletionChunk) -> String? {
        var bytes: [UInt8] = []
        guard ChatChunkJSON.write(chunk, into: &bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func chunk(_ delta: ChatCompletionDelta, finish: FinishReason? = nil, index: Int = 0, id: String = "chatcmpl-1", created: Int = 1_700_000_000, model: String = "anthropic:claude-sonnet-4-5") -> ChatCompletionChunk {
        ChatCompletionChunk(id: id, created: created, model: model, choices: [.init(index: index, delta: delta, finishReason: finish)])
    }

    @Test("every ASCII character, and non-ASCII text, is escaped as the encoder escapes it")
    func everyCharacter() throws {
        var samples = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        samples += ["é", "日本語", "🙂", "\u{2028}\u{2029}", "\u{FFFD}", "a/b\\c\"d", "</script>", "", "line\r\nnext\ttab\u{0}nul\u{1F}us\u{7F}del"]
        for text in samples {
            let chunk = Self.chunk(ChatCompletionDelta(content: text))
            #expect(Self.written(chunk) == (try Self.encoded(chunk)), "content \(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("random chunks of the common shape: byte-identical to the encoder")
    func randomChunks() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        let alphabet = Array("ab \"\\/\n\r\t\u{8}\u{C}\u{1}\u{1B}é日🙂{}[]:,0")
        func text() -> String? {
            guard Bool.random(using: &generator) else { return nil }
            return String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        let reasons: [FinishReason?] = [nil, .stop, .length, .toolCalls, .contentFilter, .functionCall]
        for _ in 0..<2_000 {
            let delta = ChatCompletionDelta(role: text(), content: text(), reasoningContent: text(), refusal: text())
            let chunk = Self.chunk(
                delta, finish: reasons.randomElement(using: &generator)!, index: Int.random(in: -3...1_000, using: &generator),
                id: text() ?? "chatcmpl-x", created: Int.random(in: Int.min...Int.max, using: &generator), model: text() ?? "m")
            #expect(Self.written(chunk) == (try Self.encoded(chunk)))
        }
    }

    @Test("the stream's own chunks — role, text, reasoning, finish — take the fast path")
    func builderChunks() throws {
        var builder = ChatCompletionChunkBuilder(identity: CompletionIdentity(id: "chatcmpl-abc", created: 42), model: "anthropic:claude", includeUsage: false)
        let chunks = builder.start() + builder.content("Hello") + builder.reasoning("hm") + builder.finish(reason: .stop, usage: nil)
        #expect(chunks.count == 4)
        for chunk in chunks {
            #expect(Self.written(chunk) != nil)
            #expect(Self.written(chunk) == (try Self.encoded(chunk)))
        }
    }

    @Test("tool calls, usage, several choices and a system fingerprint are left to the encoder")
    func otherShapesDecline() {
        var builder = ChatCompletionChunkBuilder(identity: CompletionIdentity(id: "chatcmpl-abc", created: 42), model: "m", includeUsage: true)
        _ = builder.start()
        #expect(Self.written(builder.toolCallStart(index: 0, id: "call_1", name: "get_weather")[0]) == nil)
        #expect(Self.written(builder.usageChunk(Usage(promptTokens: 1, completionTokens: 2))) == nil)
        var two = Self.chunk(ChatCompletionDelta(content: "a"))
        two.choices.append(.init(index: 1, delta: ChatCompletionDelta(content: "b")))
        #expect(Self.written(two) == nil)
        var fingerprinted = Self.chunk(ChatCompletionDelta(content: "a"))
        fingerprinted.systemFingerprint = "fp_1"
        #expect(Self.written(fingerprinted) == nil)
        var bytes: [UInt8] = [1, 2]
        #expect(!ChatChunkJSON.write(two, into: &bytes))
        #expect(bytes == [1, 2])
    }
}
