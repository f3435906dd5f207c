import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

/// The Bedrock emulator against real AWS captures (the cassettes converted from
/// `real-traffic/bedrock/`): the same event types in the same order, and every field AWS sent is
/// present (its random `p` padding excepted).
@Suite("Bedrock emulator output has the structure of real captures")
struct BedrockRealCaptureStructureTests {
    static let cassettes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Cassettes/bedrock")

    typealias Event = (type: String, payload: JSONValue)

    /// The events of the first response of a converted cassette.
    static func realEvents(_ file: String) throws -> [Event] {
        let cassette = try JSONValue(parsing: Data(contentsOf: Self.cassettes.appendingPathComponent(file)))
        let frames = try #require(cassette["interactions"]?.arrayValue?.first?["response"]?["stream"]?.arrayValue)
        return try frames.map { frame in
            let text = try #require(frame["data"]?.stringValue)
            let bytes = try #require(Data(base64Encoded: text))
            return try Self.event(try AWSEventStreamMessage(decoding: ByteBuffer(bytes: bytes)))
        }
    }

    static func event(_ message: AWSEventStreamMessage) throws -> Event {
        (try #require(message.eventType), try JSONValue(parsing: Data(message.payload.readableBytesView)))
    }

    static func emulatedEvents(_ body: JSONValue) async throws -> [Event] {
        let app = Application(router: BedrockEmulator.makeRouter())
        return try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/model/us.amazon.nova-2-lite-v1%3A0/converse-stream", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(AWSMockCredentialAuthority.bedrockAPIKey)"],
                body: ByteBuffer(data: body.encodedData())
            )
            var buffer = response.body
            var framer = AWSEventStreamFramer()
            var events: [Event] = []
            while let frame = try framer.decodeLast(buffer: &buffer, seenEOF: true) { events.append(try Self.event(try AWSEventStreamMessage(decoding: frame))) }
            return events
        }
    }

    /// Event types with runs of the same type collapsed (delta counts differ by text).
    static func shape(_ events: [Event]) -> [String] {
        events.map(\.type).reduce(into: []) { if $0.last != $1 { $0.append($1) } }
    }

    static func missing(real: JSONValue?, emulated: JSONValue?) -> Set<String> {
        Set(real?.objectValue?.keys.map { $0 } ?? []).subtracting(emulated?.objectValue?.keys.map { $0 } ?? []).subtracting(["p"])
    }

    static func first(_ type: String, in events: [Event]) -> JSONValue? {
        events.first { $0.type == type }?.payload
    }

    @Test("a text stream has AWS's event sequence and fields")
    func textStream() async throws {
        let real = try Self.realEvents("converse-stream-text.vcrpy.json")
        let emulated = try await Self.emulatedEvents(["messages": [["role": "user", "content": [["text": "Hello!"]]]]])
        #expect(Self.shape(emulated) == Self.shape(real))
        for type in ["messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"] {
            #expect(Self.missing(real: Self.first(type, in: real), emulated: Self.first(type, in: emulated)) == [], "\(type)")
        }
        #expect(Self.missing(real: Self.first("contentBlockDelta", in: real)?["delta"], emulated: Self.first("contentBlockDelta", in: emulated)?["delta"]) == [])
        #expect(Self.missing(real: Self.first("metadata", in: real)?["usage"], emulated: Self.first("metadata", in: emulated)?["usage"]) == [])
    }

    @Test("a tool-use stream has AWS's event sequence and fields")
    func toolStream() async throws {
        let real = try Self.realEvents("converse-stream-tools-multiturn-sigv4.ruby-vcr.json")
        let tool: JSONValue = ["toolSpec": ["name": "weather", "inputSchema": ["json": ["type": "object", "properties": ["latitude": ["type": "string"]]]]]]
        let emulated = try await Self.emulatedEvents(["messages": [["role": "user", "content": [["text": "Weather in Berlin?"]]]], "toolConfig": ["tools": [tool]]])
        #expect(Self.shape(emulated) == Self.shape(real))
        let realStart = Self.first("contentBlockStart", in: real)?["start"]?["toolUse"]
        let emulatedStart = Self.first("contentBlockStart", in: emulated)?["start"]?["toolUse"]
        #expect(Self.missing(real: realStart, emulated: emulatedStart) == [])
        #expect(Self.missing(real: Self.first("contentBlockDelta", in: real)?["delta"]?["toolUse"], emulated: Self.first("contentBlockDelta", in: emulated)?["delta"]?["toolUse"]) == [])
        #expect(Self.first("messageStop", in: real)?["stopReason"] == Self.first("messageStop", in: emulated)?["stopReason"])
        #expect(Self.missing(real: Self.first("metadata", in: real)?["usage"], emulated: Self.first("metadata", in: emulated)?["usage"]) == [])
    }
}
