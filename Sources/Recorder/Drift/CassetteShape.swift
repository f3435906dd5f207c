import Foundation
import NIOCore
import NIOFoundationCompat
import WireFormats

/// What a provider's API looks like in a cassette, without the values that change from run to
/// run: per interaction the status, the media type, the body's ``JSONShape``, and for a stream the
/// order of its event kinds (runs of one kind collapsed: the number of deltas is not a change)
/// with each kind's fields. Two recordings of one scenario have the same shape unless the
/// provider changed its API — which is what `archestra cassette diff` is for.
package struct CassetteShape: Sendable, Hashable {
    package var interactions: [InteractionShape]

    package init(_ cassette: Cassette) {
        self.interactions = cassette.interactions.map(InteractionShape.init)
    }
}

package struct InteractionShape: Sendable, Hashable {
    /// `POST /v1/chat/completions`: the query left out, its values differ between recordings.
    package var request: String
    package var status: Int
    package var mediaType: String?
    /// The whole body's shape, when it is JSON.
    package var body: JSONShape?
    /// Event kinds in order, consecutive repeats collapsed; empty when not a stream.
    package var eventOrder: [String]
    /// Each event kind's fields, across the stream.
    package var events: [String: JSONShape]

    init(_ interaction: CassetteInteraction) {
        let path = interaction.request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? interaction.request.path
        self.request = "\(interaction.request.method) \(path)"
        let response = interaction.response
        self.status = response.status
        self.mediaType = response.headers.first { $0.name.lowercased() == "content-type" }
            .map { $0.value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? $0.value }
        // A stream imported from another recorder may be one body rather than frames.
        let isStream = response.stream != nil || Self.streamTypes.contains(self.mediaType ?? "")
        self.body = isStream ? nil : response.body.flatMap { Self.json(in: $0.inflatedBytes) }.map(JSONShape.init)
        let streamBytes = response.stream.map { $0.map(\.body.inflatedBytes) } ?? (isStream ? response.body.map { [$0.inflatedBytes] } ?? [] : [])
        var order: [String] = []
        var events: [String: JSONShape] = [:]
        for bytes in streamBytes {
            for (kind, payload) in Self.events(in: bytes, mediaType: self.mediaType) {
                if order.last != kind { order.append(kind) }
                var shape = events[kind] ?? JSONShape()
                if let payload { shape.add(payload) }
                events[kind] = shape
            }
        }
        self.eventOrder = order
        self.events = events
    }

    private static let streamTypes: Set<String> = [
        "text/event-stream", "application/vnd.amazon.eventstream", "application/x-ndjson", "application/jsonl", "application/json-seq",
    ]

    private static func json(in data: Data) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// The events in one frame, each as (kind, JSON payload): an SSE event is named by its
    /// `event:` field, else its JSON `type` (Anthropic, Responses), else `object` (OpenAI
    /// chunks); an AWS event-stream message by its `:event-type`; a JSON line by `type`, else `line`.
    private static func events(in bytes: Data, mediaType: String?) -> [(String, JSONValue?)] {
        switch mediaType {
        case "application/vnd.amazon.eventstream":
            var buffer = ByteBuffer(bytes: bytes)
            var framer = AWSEventStreamFramer()
            var found: [(String, JSONValue?)] = []
            while let message = try? framer.decode(buffer: &buffer), let decoded = try? AWSEventStreamMessage(decoding: message) {
                found.append((decoded.eventType ?? decoded.messageType ?? "message", Self.json(in: Data(buffer: decoded.payload))))
            }
            return found
        case "text/event-stream":
            let text = String(decoding: bytes, as: UTF8.self)
            return text.components(separatedBy: "\n\n").compactMap { block -> (String, JSONValue?)? in
                guard !block.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
                let event = SSEEvent(parsing: block)
                if event.isCommentOnly { return nil }
                if event.data == "[DONE]" { return ("[DONE]", nil) }
                let payload = Self.json(in: Data(event.data.utf8))
                return (event.event ?? payload?["type"]?.stringValue ?? payload?["object"]?.stringValue ?? "data", payload)
            }
        default:
            let text = String(decoding: bytes, as: UTF8.self)
            return text.split(separator: "\n").compactMap { line -> (String, JSONValue?)? in
                guard let payload = Self.json(in: Data(line.utf8)) else { return nil }
                return (payload["type"]?.stringValue ?? "line", payload)
            }
        }
    }
}

/// `archestra cassette diff OLD NEW`: what changed in the API between two recordings.
package struct CassetteDrift: Sendable {
    /// Paths (and everything under them) not compared, e.g. `system_fingerprint`.
    package var ignoredPaths: [String]

    package init(ignoredPaths: [String] = []) {
        self.ignoredPaths = ignoredPaths
    }

    /// One line per difference, each prefixed with where it is; empty when the shapes agree.
    package func differences(from old: CassetteShape, to new: CassetteShape) -> [String] {
        var lines: [String] = []
        if old.interactions.count != new.interactions.count {
            lines.append("interactions: \(old.interactions.count) → \(new.interactions.count)")
        }
        for (index, (before, after)) in zip(old.interactions, new.interactions).enumerated() {
            let at = "interactions[\(index)]"
            if before.request != after.request { lines.append("\(at): request \(before.request) → \(after.request)") }
            if before.status != after.status { lines.append("\(at): status \(before.status) → \(after.status)") }
            if before.mediaType != after.mediaType {
                lines.append("\(at): content type \(before.mediaType ?? "none") → \(after.mediaType ?? "none")")
            }
            switch (before.body, after.body) {
            case (let old?, let new?):
                lines += old.changes(to: new, ignoring: self.ignoredPaths).map { "\(at).body: \($0)" }
            case (nil, .some): lines.append("\(at).body: now JSON")
            case (.some, nil): lines.append("\(at).body: no longer JSON")
            case (nil, nil): break
            }
            if before.eventOrder != after.eventOrder {
                lines.append("\(at).stream: event order \(Self.order(before.eventOrder)) → \(Self.order(after.eventOrder))")
            }
            for kind in Set(before.events.keys).union(after.events.keys).sorted() {
                switch (before.events[kind], after.events[kind]) {
                case (let old?, let new?):
                    lines += old.changes(to: new, ignoring: self.ignoredPaths).map { "\(at).stream[\(kind)]: \($0)" }
                case (nil, .some): lines.append("\(at).stream: + event \(kind)")
                case (.some, nil): lines.append("\(at).stream: - event \(kind)")
                case (nil, nil): break
                }
            }
        }
        return lines
    }

    private static func order(_ kinds: [String]) -> String {
        "[" + kinds.joined(separator: ", ") + "]"
    }
}
