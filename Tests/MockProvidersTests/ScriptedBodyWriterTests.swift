import HTTPTypes
import Hummingbird
import MockProviders
import NIOCore
import Testing

@Suite("Scripted body writer")
struct ScriptedBodyWriterTests {
    /// Records what a response body would have sent, and whether it was finished.
    final class RecordingWriter: ResponseBodyWriter {
        var written: [String] = []
        var finished = false
        func write(_ buffer: ByteBuffer) async throws { self.written.append(String(buffer: buffer)) }
        func finish(_ trailingHeaders: HTTPFields?) async throws { self.finished = true }
    }

    static let frames = ["a", "b", "c", "d"].map { ByteBuffer(string: "data: \($0)\n\n") }

    static func run(_ script: StreamScript) async throws -> (writer: RecordingWriter, error: (any Error)?) {
        let recorder = RecordingWriter()
        var writer: any ResponseBodyWriter = recorder
        do {
            try await ScriptedBodyWriter.write(Self.frames, script: script, to: &writer)
            return (recorder, nil)
        } catch {
            return (recorder, error)
        }
    }

    @Test("the plain script writes every frame and finishes")
    func plain() async throws {
        let (writer, error) = try await Self.run(.plain)
        #expect(error == nil)
        #expect(writer.written == Self.frames.map { String(buffer: $0) })
        #expect(writer.finished)
    }

    @Test("drop writes only the frames before the drop point, never finishes, and throws ScriptedDisconnect")
    func drop() async throws {
        let (writer, error) = try await Self.run(StreamScript(dropAfterFrames: 2))
        #expect(error is ScriptedDisconnect)
        #expect(writer.written == ["data: a\n\n", "data: b\n\n"])
        #expect(!writer.finished)
    }

    @Test("malformed-frame inserts the broken frame at its point and still finishes")
    func malformed() async throws {
        let (writer, error) = try await Self.run(StreamScript(malformedFrameAfter: 1))
        #expect(error == nil)
        #expect(writer.written == ["data: a\n\n", StreamScript.malformedFrame, "data: b\n\n", "data: c\n\n", "data: d\n\n"])
        #expect(writer.finished)
    }

    @Test("slow-stream waits at least the delay between frames")
    func slow() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let (writer, error) = try await Self.run(StreamScript(delayBetweenFrames: .milliseconds(20)))
        #expect(error == nil)
        #expect(writer.written.count == 4)
        #expect(clock.now - started >= .milliseconds(60))
    }

    @Test("scenario parameters pick the points, defaulting to the middle")
    func fromScenario() throws {
        let dropDefault = try StreamScript(scenario: MockScenario(name: .dropMidStream), frameCount: 10)
        #expect(dropDefault.dropAfterFrames == 5)
        let dropEarly = try StreamScript(scenario: MockScenario(parsing: "drop-mid-stream; after-frames=1"), frameCount: 10)
        #expect(dropEarly.dropAfterFrames == 1)
        let slow = try StreamScript(scenario: MockScenario(name: .slowStream), frameCount: 10)
        #expect(slow.delayBetweenFrames == .milliseconds(200))
        #expect(try StreamScript(scenario: MockScenario(name: .rateLimit), frameCount: 10) == .plain)
        #expect(throws: MockScenarioParseError.self) {
            try StreamScript(scenario: MockScenario(parsing: "slow-stream; delay-ms=soon"), frameCount: 10)
        }
    }
}
