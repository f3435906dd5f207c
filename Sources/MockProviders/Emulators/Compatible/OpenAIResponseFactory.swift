import Hummingbird
import NIOCore

/// Builds the emulator's 200 responses; every body goes through ``ScriptedBodyWriter`` so that
/// the stream scenarios apply to plain JSON answers too.
enum OpenAIResponseFactory {
    /// A JSON answer. Without a script it has a `content-length`; a scripted one is chunked, since
    /// `drop-mid-stream` must be able to cut it short.
    static func json(_ body: ByteBuffer, script: StreamScript) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        guard script != .plain else {
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
        }
        headers[.cacheControl] = "no-cache"
        // Two frames, so a drop falls in the middle of the document.
        let half = body.readableBytes / 2
        let frames = [body.getSlice(at: body.readerIndex, length: half), body.getSlice(at: body.readerIndex + half, length: body.readableBytes - half)]
            .compactMap { $0 }
        var adjusted = script
        if adjusted.dropAfterFrames != nil { adjusted.dropAfterFrames = 1 }
        adjusted.malformedFrameAfter = nil
        let finalScript = adjusted
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await ScriptedBodyWriter.write(frames, script: finalScript, to: &writer)
        })
    }

    /// An SSE answer: `text/event-stream; charset=utf-8` as the real API sends, chunked, one
    /// write per event.
    static func eventStream(_ frames: [ByteBuffer], script: StreamScript) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await ScriptedBodyWriter.write(frames, script: script, to: &writer)
        })
    }
}
