import WireFormats
import Foundation
import Testing

@testable import RouterTranslation

@Suite("Core")
struct CoreTests {
    @Test("a data URL splits into media type and base64; http(s) stays a URL; anything else is refused")
    func imageReference() {
        #expect(ImageReference(url: "data:image/PNG;base64,iVBOR") == .base64(mediaType: "image/png", data: "iVBOR"))
        #expect(ImageReference(url: "https://example.com/cat.png") == .remote(url: "https://example.com/cat.png"))
        #expect(ImageReference(url: "HTTP://example.com/a.jpg") == .remote(url: "HTTP://example.com/a.jpg"))
        #expect(ImageReference(url: "data:image/png,rawbytes") == nil)
        #expect(ImageReference(url: "file:///etc/passwd") == nil)
    }

    @Test("the proxy's completion ids are chatcmpl- and 32 lowercase hex digits, fresh each time")
    func randomIdentity() {
        let first = CompletionIdentitySource.random.next()
        let second = CompletionIdentitySource.random.next()
        for identity in [first, second] {
            #expect(identity.id.hasPrefix("chatcmpl-"))
            let digits = identity.id.dropFirst("chatcmpl-".count)
            #expect(digits.count == 32)
            #expect(digits.allSatisfy { "0123456789abcdef".contains($0) })
            #expect(abs(identity.created - Int(Date().timeIntervalSince1970)) < 60)
        }
        #expect(first.id != second.id)
    }

    @Test("JSONValue keeps integers apart from doubles and round-trips with sorted keys")
    func jsonValueRoundTrip() throws {
        let text = #"{"b":[1,2.5,true,null,"x"],"a":{"max":10}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value["a"]?["max"] == .int(10))
        #expect(value["b"]?.arrayValue?[1] == .double(2.5))
        #expect(TranslationJSON.text(of: value) == #"{"a":{"max":10},"b":[1,2.5,true,null,"x"]}"#)
    }

    @Test("empty tool arguments parse as {}; invalid ones are the client's 400 naming the field")
    func embeddedArguments() throws {
        #expect(try TranslationJSON.parseEmbedded("", field: "arguments") == .object([:]))
        #expect(throws: TranslationError.self) { try TranslationJSON.parseEmbedded("{oops", field: "messages[1].tool_calls[0].function.arguments") }
        do {
            _ = try TranslationJSON.parseEmbedded("{oops", field: "f")
        } catch {
            #expect(error.status == 400)
            #expect(error.openAIError.param == "f")
        }
    }

    @Test("translation errors carry their status and an OpenAI error")
    func translationErrorStatus() {
        #expect(TranslationError.invalidRequest(field: "x", message: "m").status == 400)
        #expect(TranslationError.unsupported("n>1").status == 400)
        #expect(TranslationError.malformedUpstream("body").status == 502)
        #expect(TranslationError.malformedUpstream("body").openAIError.type == "upstream_error")
        let upstream = OpenAIErrorBody(message: "Overloaded", type: "server_error", code: "overloaded_error")
        #expect(TranslationError.upstream(upstream, status: 529).status == 529)
        #expect(TranslationError.upstream(upstream, status: 529).openAIError == upstream)
    }

    @Test("the dropped-content header names each kind once, in order")
    func droppedHeader() {
        let dropped = [
            DroppedContent(kind: "seed", reason: "a"), DroppedContent(kind: "audio", reason: "b"),
            DroppedContent(kind: "seed", reason: "c"),
        ]
        #expect(DroppedContent.headerValue(for: dropped) == "seed, audio")
        #expect(DroppedContent.headerValue(for: []) == nil)
    }

    @Test("the first chunk of a stream carries role assistant (Portkey #1399), later ones do not")
    func chunkBuilderRoleFirst() {
        var builder = ChatCompletionChunkBuilder(identity: .init(id: "chatcmpl-1", created: 1), model: "m", includeUsage: false)
        let first = builder.content("Hel")
        let second = builder.content("lo")
        #expect(first.count == 1 && first[0].choices[0].delta.role == "assistant" && first[0].choices[0].delta.content == "Hel")
        #expect(second[0].choices[0].delta.role == nil)
        #expect(builder.start().isEmpty)
    }

    @Test("finish emits finish then usage only when asked, and only once")
    func chunkBuilderFinish() {
        let usage = Usage(promptTokens: 3, completionTokens: 2)
        var asked = ChatCompletionChunkBuilder(identity: .init(id: "c", created: 1), model: "m", includeUsage: true)
        let closing = asked.finish(reason: .stop, usage: usage)
        #expect(closing.count == 3)  // role (empty stream), finish, usage
        #expect(closing[1].choices[0].finishReason == .stop)
        #expect(closing[2].choices.isEmpty && closing[2].usage == usage)
        #expect(asked.finish(reason: .stop, usage: usage).isEmpty)

        var notAsked = ChatCompletionChunkBuilder(identity: .init(id: "c", created: 1), model: "m", includeUsage: false)
        _ = notAsked.start()
        #expect(notAsked.finish(reason: .length, usage: usage).map(\.usage) == [nil])
    }
}
