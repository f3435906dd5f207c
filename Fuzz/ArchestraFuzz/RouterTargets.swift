import Foundation
import Glibc
import NIOCore
import RouterTranslation
import WireFormats

/// The model router's translators: a client's OpenAI request into each target's body, and each
/// target's answers (whole, streamed, errors) back into OpenAI's shape.
enum RouterTargets {
    static let translators: [any ChatTranslator] = [
        AnthropicChatTranslator(identities: .fixed()),
        GeminiChatTranslator(identities: .fixed()),
        BedrockChatTranslator(identities: .fixed()),
        CohereChatTranslator(identities: .fixed()),
        OpenAICompatibleChatTranslator(),
    ]

    /// The request the answer and stream targets translate for: streaming, usage asked, a tool.
    static let fixedRequest: ChatCompletionRequest = {
        let json = #"""
            {"model":"m","stream":true,"stream_options":{"include_usage":true},"n":1,
             "messages":[{"role":"user","content":"hi"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object"}}}}
            """#
        return try! JSONDecoder().decode(ChatCompletionRequest.self, from: Data(json.utf8))
    }()

    /// The input as an OpenAI chat request (and as a Responses request, turned into one), as
    /// the router decodes it. Invariant: each translator throws its `TranslationError` or
    /// returns a body that is JSON; a decoded request encodes again.
    static func request(_ bytes: [UInt8]) {
        let data = Data(bytes)
        var requests: [ChatCompletionRequest] = []
        if let request = try? JSONDecoder().decode(ChatCompletionRequest.self, from: data) {
            requests.append(request)
            do {
                _ = try JSONEncoder().encode(request)
            } catch {
                preconditionFailure("a decoded chat request does not encode: \(error)")
            }
        }
        if let responses = try? JSONDecoder().decode(ResponsesRequest.self, from: data),
            let (chat, _) = try? ResponsesOverChatTranslator(identities: .fixed()).chatRequest(for: responses)
        {
            requests.append(chat)
        }
        for request in requests {
            for translator in self.translators {
                do {
                    let translated = try translator.upstreamRequest(for: request, model: request.model)
                    precondition(isJSON(translated.body), "\(type(of: translator)) wrote a body that is not JSON")
                    precondition(translated.operationPath.hasPrefix("/"), "\(type(of: translator)) wrote a relative path")
                    _ = DroppedContent.headerValue(for: translated.dropped)
                } catch {
                    _ = error.openAIError
                }
            }
        }
    }

    /// The input as each target's whole answer and error body. Invariant: an answer translates
    /// (or throws `TranslationError`) into a completion that encodes as JSON.
    static func answer(_ bytes: [UInt8]) {
        let data = Data(bytes)
        for translator in self.translators {
            do {
                let completion = try translator.chatCompletion(fromUpstreamBody: data, for: self.fixedRequest)
                let encoded = try TranslationJSON.encode(completion)
                precondition(isJSON(encoded), "\(type(of: translator)) completion is not JSON")
            } catch {
                _ = error.openAIError
            }
            let errorBody = translator.openAIError(fromUpstreamBody: data, status: 400)
            _ = try? JSONEncoder().encode(errorBody)
        }
    }

    /// The Responses request the stream target's chunks are translated for.
    static let responsesRequest = try! JSONDecoder().decode(ResponsesRequest.self, from: Data(#"{"model":"m","input":"hi","stream":true}"#.utf8))

    /// The translator whose upstream writes the stream's events, by a name only its events carry;
    /// the OpenAI-compatible one otherwise. One per input, not all five: each input costs a fifth,
    /// and a mutation that drops the name moves the input to another translator.
    static func streamTranslator(for bytes: [UInt8]) -> any ChatTranslator {
        for (marker, index) in self.streamMarkers where Self.contains(bytes, marker) { return self.translators[index] }
        return self.translators[4]
    }

    static let streamMarkers: [([UInt8], Int)] = [
        ("content_block", 0), ("message_start", 0), ("candidates", 1), ("contentBlock", 2), ("messageStart", 2), ("content-delta", 3), ("message-start", 3),
    ].map { (Array($0.0.utf8), $0.1) }

    /// Whether `marker` occurs in `bytes`: a first-byte scan and `memcmp`, as Foundation's generic
    /// `firstRange(of:)` took a fifth of this target's time.
    static func contains(_ bytes: [UInt8], _ marker: [UInt8]) -> Bool {
        guard let first = marker.first, marker.count <= bytes.count else { return marker.isEmpty }
        return bytes.withUnsafeBufferPointer { haystack in
            marker.withUnsafeBufferPointer { needle in
                for start in 0...(haystack.count - needle.count) where haystack[start] == first {
                    if memcmp(haystack.baseAddress! + start, needle.baseAddress!, needle.count) == 0 { return true }
                }
                return false
            }
        }
    }

    /// The input as one upstream stream: SSE events (event name and data), fed to the stream
    /// translator of the target that writes such events (``streamTranslator(for:)``), then end of
    /// stream; its chunks go on through the Responses stream translator. Invariant: every chunk
    /// encodes as JSON; errors are `TranslationError`s.
    static func stream(_ bytes: [UInt8]) {
        var framer = SSEEventFramer()
        var buffer = ByteBuffer(bytes: bytes)
        var messages: [UpstreamStreamMessage] = []
        do {
            while let frame = try framer.decode(buffer: &buffer) { messages.append(self.message(frame)) }
            while let frame = try framer.decodeLast(buffer: &buffer, seenEOF: true) { messages.append(self.message(frame)) }
        } catch {
            // A refused stream still feeds what was framed before it.
        }
        let responses = ResponsesOverChatTranslator(identities: .fixed())
        for translator in [self.streamTranslator(for: bytes)] {
            var stream = translator.makeStreamTranslator(for: self.fixedRequest)
            var responsesStream = responses.makeStreamTranslator(for: self.responsesRequest)
            var chunks: [ChatCompletionChunk] = []
            do {
                for message in messages { chunks += try stream.translate(message) }
                chunks += try stream.finish()
            } catch {
                _ = error.openAIError
            }
            for chunk in chunks {
                do {
                    let encoded = try TranslationJSON.encode(chunk)
                    precondition(isJSON(encoded), "a chunk is not JSON")
                } catch {
                    preconditionFailure("a chunk does not encode: \(error)")
                }
                for event in responsesStream.translate(chunk) { _ = try? event.serverSentEvent() }
            }
        }
    }

    private static func message(_ frame: ByteBuffer) -> UpstreamStreamMessage {
        let event = SSEEvent(parsing: frame)
        return UpstreamStreamMessage(event: event.event, data: Data(event.data.utf8))
    }
}
