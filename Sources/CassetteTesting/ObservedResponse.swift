package import Foundation
import NIOCore
package import Recorder
import WireFormats

/// A response as a client sees it (or as a cassette says a client will see it): what the
/// end-to-end tests compare.
package struct ObservedResponse: Sendable {
    package var status: Int
    package var headers: [CassetteHeader]
    /// The whole body: a recorded stream's frames concatenated.
    package var body: Data
    /// For a server-sent event stream, its events in order: a cassette's recorded frames, or a
    /// received body split with `SSEEventFramer`. `nil` for other bodies.
    package var events: [Data]?

    package init(status: Int, headers: [CassetteHeader], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
        self.events = Self.isEventStream(headers) ? Self.splitEvents(body, headers: headers) : nil
    }

    /// What a client must receive for a recorded response.
    package init(recorded response: CassetteResponse) {
        self.status = response.status
        self.headers = response.headers
        if let stream = response.stream {
            self.body = stream.reduce(into: Data()) { $0.append($1.bytes) }
            self.events = Self.isEventStream(response.headers) ? stream.map(\.bytes) : nil
        } else {
            self.body = response.body?.bytes ?? Data()
            self.events = Self.isEventStream(response.headers) ? Self.splitEvents(self.body, headers: response.headers) : nil
        }
    }

    package func values(of name: String) -> [String] {
        self.headers.filter { $0.name.lowercased() == name }.map(\.value)
    }

    /// Header names a client relies on: the media type and encoding of the body, request ids for
    /// support tickets, and the rate-limit and OpenAI metadata SDKs read.
    package static func isRelevantHeader(_ lowercasedName: String) -> Bool {
        ["content-type", "content-encoding", "x-request-id", "retry-after"].contains(lowercasedName)
            || lowercasedName.hasPrefix("x-ratelimit-") || lowercasedName.hasPrefix("openai-")
    }

    /// SSE or AWS event-stream, and not content-encoded: compressed bytes have no event
    /// boundaries to find.
    package static func isEventStream(_ headers: [CassetteHeader]) -> Bool {
        let contentType = headers.first(named: "content-type")?.lowercased() ?? ""
        let encoding = headers.first(named: "content-encoding")?.lowercased() ?? "identity"
        return (contentType.hasPrefix("text/event-stream") || Self.isAWSEventStream(headers)) && encoding == "identity"
    }

    package static func isAWSEventStream(_ headers: [CassetteHeader]) -> Bool {
        headers.first(named: "content-type")?.lowercased().hasPrefix("application/vnd.amazon.eventstream") ?? false
    }

    /// Splits bytes into events exactly as the recorder and the proxy do: whole AWS event-stream
    /// messages (CRCs checked) for `application/vnd.amazon.eventstream`, else SSE events.
    package static func splitEvents(_ bytes: Data, headers: [CassetteHeader] = []) -> [Data] {
        var buffer = ByteBuffer(bytes: bytes)
        var events: [Data] = []
        if Self.isAWSEventStream(headers) {
            var framer = AWSEventStreamFramer()
            while let message = try? framer.decodeLast(buffer: &buffer, seenEOF: true) { events.append(Data(message.readableBytesView)) }
            if buffer.readableBytes > 0 { events.append(Data(buffer.readableBytesView)) }  // not a message: shows up as a difference
            return events
        }
        var framer = SSEEventFramer()
        while let event = try? framer.decode(buffer: &buffer) { events.append(Data(event.readableBytesView)) }
        while let event = try? framer.decodeLast(buffer: &buffer, seenEOF: true) { events.append(Data(event.readableBytesView)) }
        return events
    }
}

extension ObservedResponse {
    /// How `self` (what a client received) differs from `expected` (what the cassette says it
    /// gets): the status, every relevant header with the same values in the same order, the body
    /// byte for byte, and for event streams the same sequence of events. Empty when they agree.
    package func differences(from expected: ObservedResponse) -> [String] {
        var differences: [String] = []
        if self.status != expected.status {
            differences.append("status \(self.status), recorded \(expected.status); body: \(String(decoding: self.body.prefix(600), as: UTF8.self))")
        }
        let names = Set(expected.headers.map { $0.name.lowercased() }).filter(ObservedResponse.isRelevantHeader).sorted()
        for name in names where self.values(of: name) != expected.values(of: name) {
            differences.append("header \(name): \(self.values(of: name)), recorded \(expected.values(of: name))")
        }
        if self.body != expected.body {
            let firstDifference = zip(self.body, expected.body).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(self.body.count, expected.body.count)
            differences.append(
                """
                body differs: received \(self.body.count) bytes, recorded \(expected.body.count); \
                first difference at byte \(firstDifference): received \
                \(String(decoding: self.body.dropFirst(firstDifference).prefix(120), as: UTF8.self).debugDescription), recorded \
                \(String(decoding: expected.body.dropFirst(firstDifference).prefix(120), as: UTF8.self).debugDescription)
                """)
        }
        if let expectedEvents = expected.events {
            let receivedEvents = self.events ?? ObservedResponse.splitEvents(self.body, headers: self.headers)
            if receivedEvents.count != expectedEvents.count {
                differences.append("\(receivedEvents.count) events, recorded \(expectedEvents.count)")
            }
            if let index = zip(receivedEvents, expectedEvents).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                differences.append(
                    """
                    event \(index) differs: received \
                    \(String(decoding: receivedEvents[index], as: UTF8.self).debugDescription), recorded \
                    \(String(decoding: expectedEvents[index], as: UTF8.self).debugDescription)
                    """)
            }
        }
        return differences
    }
}
