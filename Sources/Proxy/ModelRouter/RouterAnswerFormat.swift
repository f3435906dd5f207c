import Foundation
import NIOCore
import RouterTranslation
import WireFormats

/// What the client of the model router receives, made from the upstream's answer once it is in
/// OpenAI chat form: the chat answer itself, or a Responses answer built over it.
enum RouterAnswerFormat: Sendable {
    case chat
    case responses(ResponsesRequest, ResponsesOverChatTranslator)

    /// The JSON body for a whole answer.
    func body(for completion: ChatCompletion) throws(TranslationError) -> Data {
        switch self {
        case .chat: return try TranslationJSON.encode(completion)
        case .responses(let request, let translator): return try TranslationJSON.encode(translator.response(from: completion, for: request))
        }
    }

    /// A fresh encoder for one stream.
    func makeStreamEncoder() -> RouterStreamEncoder {
        switch self {
        case .chat: return RouterStreamEncoder(responses: nil)
        case .responses(let request, let translator): return RouterStreamEncoder(responses: translator.makeStreamTranslator(for: request))
        }
    }
}

/// Turns the translated chat chunks of one stream into the client's SSE frames: chat chunks and
/// `data: [DONE]`, or the Responses event sequence.
struct RouterStreamEncoder {
    private var responses: ResponsesStreamTranslator?
    /// One encoder for every frame of the stream.
    private let json = TranslationJSON.makeEncoder()
    /// The chunk being written, reused: ``ChatChunkJSON`` writes the common chunks without the
    /// encoder.
    private var chunkBytes: [UInt8] = []

    init(responses: ResponsesStreamTranslator?) {
        self.responses = responses
    }

    /// Frames for chunks, in order.
    mutating func frames(for chunks: [ChatCompletionChunk]) throws(TranslationError) -> ByteBuffer {
        var buffer = ByteBuffer()
        for chunk in chunks {
            if self.responses != nil {
                for event in self.responses!.translate(chunk) { buffer.writeBytes(try event.serverSentEvent(encoder: self.json)) }
            } else {
                buffer.writeString("data: ")
                self.chunkBytes.removeAll(keepingCapacity: true)
                if ChatChunkJSON.write(chunk, into: &self.chunkBytes) {
                    buffer.writeBytes(self.chunkBytes)
                } else {
                    buffer.writeBytes(try TranslationJSON.encode(chunk, with: self.json))
                }
                buffer.writeString("\n\n")
            }
        }
        return buffer
    }

    /// The stream's end: `[DONE]` for chat (every successful stream ends with it), the closing
    /// Responses events otherwise.
    mutating func end() throws(TranslationError) -> ByteBuffer {
        var buffer = ByteBuffer()
        if self.responses != nil {
            for event in self.responses!.finish() { buffer.writeBytes(try event.serverSentEvent(encoder: self.json)) }
        } else {
            buffer.writeString("data: [DONE]\n\n")
        }
        return buffer
    }

    /// A failure after the stream started: the OpenAI error event the SDKs raise on (chat), or
    /// Responses' `error` and `response.failed`.
    mutating func failure(_ error: OpenAIErrorBody) -> ByteBuffer {
        if self.responses != nil {
            var buffer = ByteBuffer()
            for event in self.responses!.fail(error) {
                if let frame = try? event.serverSentEvent(encoder: self.json) { buffer.writeBytes(frame) }
            }
            return buffer
        }
        return error.streamEvent.byteBuffer
    }
}
