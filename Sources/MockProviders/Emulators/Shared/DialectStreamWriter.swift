package import Hummingbird
package import NIOCore

/// Writes an emulator's stream: the frames under the scenario's ``StreamScript``, or, for
/// `drop-mid-stream; in-band=true`, the frames up to the drop point followed by the dialect's
/// in-band error event and a clean end (how a real API reports a failure it noticed itself).
package enum DialectStreamWriter {
    package static func response(
        _ frames: [ByteBuffer],
        scenario: MockScenario?,
        style: any EmulatorErrorStyle,
        headers: HTTPFields
    ) throws -> Response {
        var frames = frames
        var script = try StreamScript(scenario: scenario, frameCount: frames.count)
        if scenario?.parameters["in-band"] == "true", let drop = script.dropAfterFrames {
            frames = Array(frames.prefix(drop)) + [style.streamErrorFrame()]
            script.dropAfterFrames = nil
        }
        let finalFrames = frames
        let finalScript = script
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await ScriptedBodyWriter.write(finalFrames, script: finalScript, to: &writer)
        })
    }

    /// A whole JSON body, cut in two when a scenario must be able to drop it midway.
    package static func json(_ buffer: ByteBuffer, scenario: MockScenario?, headers: HTTPFields) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        var script = try StreamScript(scenario: scenario, frameCount: 1)
        guard script != .plain else {
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
        }
        let half = buffer.readableBytes / 2
        let frames = [buffer.getSlice(at: buffer.readerIndex, length: half), buffer.getSlice(at: buffer.readerIndex + half, length: buffer.readableBytes - half)]
            .compactMap { $0 }
        if script.dropAfterFrames != nil { script.dropAfterFrames = 1 }
        script.malformedFrameAfter = nil
        let finalScript = script
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await ScriptedBodyWriter.write(frames, script: finalScript, to: &writer)
        })
    }
}
