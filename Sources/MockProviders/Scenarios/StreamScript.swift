/// How a scenario changes the writing of a response body that is already under way.
///
/// Built from the request's scenario; the default script writes every frame at once.
package struct StreamScript: Sendable, Hashable {
    /// Pause before every frame after the first (`slow-stream`).
    package var delayBetweenFrames: Duration?
    /// Close the connection, without the chunked terminator, after this many frames (`drop-mid-stream`).
    package var dropAfterFrames: Int?
    /// Write `data: {not json` after this many frames (`malformed-frame`).
    package var malformedFrameAfter: Int?

    package static let plain = StreamScript()

    /// The bytes of the broken frame `malformed-frame` inserts.
    package static let malformedFrame = "data: {not json\n\n"

    package init(delayBetweenFrames: Duration? = nil, dropAfterFrames: Int? = nil, malformedFrameAfter: Int? = nil) {
        self.delayBetweenFrames = delayBetweenFrames
        self.dropAfterFrames = dropAfterFrames
        self.malformedFrameAfter = malformedFrameAfter
    }

    /// The script for `scenario` applied to a body of `frameCount` frames. Mid-stream points
    /// default to half the frames (at least one), so the client has seen real data first.
    package init(scenario: MockScenario?, frameCount: Int) throws(MockScenarioParseError) {
        self.init()
        guard let scenario else { return }
        let midpoint = max(1, frameCount / 2)
        switch scenario.name {
        case .slowStream:
            self.delayBetweenFrames = .milliseconds(try scenario.integer("delay-ms", default: 200))
        case .dropMidStream:
            self.dropAfterFrames = min(try scenario.integer("after-frames", default: midpoint), frameCount)
        case .malformedFrame:
            self.malformedFrameAfter = min(try scenario.integer("after-frames", default: midpoint), frameCount)
        case .rateLimit, .serverError, .unavailable, .hang:
            break
        }
    }
}
