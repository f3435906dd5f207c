package import Hummingbird
package import NIOCore

/// Writes prepared frames to a response body, applying a ``StreamScript``.
package enum ScriptedBodyWriter {
    /// Writes `frames` one by one (each a whole SSE event, so each is flushed on its own) and
    /// finishes the body; throws ``ScriptedDisconnect`` where the script drops the connection and
    /// `CancellationError` if the task is cancelled during a delay.
    package static func write(
        _ frames: [ByteBuffer],
        script: StreamScript,
        to writer: inout any ResponseBodyWriter
    ) async throws {
        for (index, frame) in frames.enumerated() {
            if script.dropAfterFrames == index { throw ScriptedDisconnect() }
            if script.malformedFrameAfter == index {
                try await writer.write(ByteBuffer(string: StreamScript.malformedFrame))
            }
            if index > 0, let delay = script.delayBetweenFrames {
                try await Task.sleep(for: delay)
            }
            try await writer.write(frame)
        }
        if script.dropAfterFrames == frames.count { throw ScriptedDisconnect() }
        if script.malformedFrameAfter == frames.count {
            try await writer.write(ByteBuffer(string: StreamScript.malformedFrame))
        }
        try await writer.finish(nil)
    }
}
