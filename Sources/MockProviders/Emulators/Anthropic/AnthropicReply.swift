import Foundation
package import NIOCore
package import WireFormats

/// One deterministic Messages answer, as content blocks, rendered either as the message object or
/// as the full event sequence (`message_start`, blocks with `ping` after the first start,
/// `message_delta` with usage, `message_stop`).
package struct AnthropicReply: Sendable {
    package enum Block: Sendable {
        case thinking(deltas: [String], signature: String)
        case text(deltas: [String])
        case toolUse(id: String, name: String, input: String, fragments: [String])
    }

    package let id: String
    package let model: String
    package let blocks: [Block]
    package let stopReason: String
    package let inputTokens: Int
    package let outputTokens: Int

    private var startUsage: JSONValue {
        [
            "input_tokens": .int(self.inputTokens), "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
            "output_tokens": 1, "service_tier": "standard",
        ]
    }

    private var finalUsage: JSONValue {
        [
            "input_tokens": .int(self.inputTokens), "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
            "output_tokens": .int(self.outputTokens), "service_tier": "standard",
        ]
    }

    /// `POST /v1/messages` without `stream`.
    package var messageObject: JSONValue {
        [
            "id": .string(self.id), "type": "message", "role": "assistant", "model": .string(self.model),
            "content": .array(self.blocks.map(Self.completeBlock)),
            "stop_reason": .string(self.stopReason), "stop_sequence": nil, "usage": self.finalUsage,
        ]
    }

    private static func completeBlock(_ block: Block) -> JSONValue {
        switch block {
        case .thinking(let deltas, let signature):
            return ["type": "thinking", "thinking": .string(deltas.joined()), "signature": .string(signature)]
        case .text(let deltas):
            return ["type": "text", "text": .string(deltas.joined())]
        case .toolUse(let id, let name, let input, _):
            return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": (try? JSONValue(parsing: Data(input.utf8))) ?? [:]]
        }
    }

    /// The stream's events, one frame each.
    package var events: [ByteBuffer] {
        var events: [SSEEvent] = []
        func add(_ data: JSONValue) {
            events.append(SSEEvent(event: data["type"]?.stringValue, data: data.encodedString()))
        }
        add([
            "type": "message_start",
            "message": [
                "id": .string(self.id), "type": "message", "role": "assistant", "model": .string(self.model), "content": [],
                "stop_reason": nil, "stop_sequence": nil, "usage": self.startUsage,
            ],
        ])
        for (index, block) in self.blocks.enumerated() {
            let blockIndex = JSONValue.int(index)
            func delta(_ delta: JSONValue) { add(["type": "content_block_delta", "index": blockIndex, "delta": delta]) }
            switch block {
            case .thinking(let deltas, let signature):
                add(["type": "content_block_start", "index": blockIndex, "content_block": ["type": "thinking", "thinking": "", "signature": ""]])
                if index == 0 { events.append(Self.ping) }
                for text in deltas { delta(["type": "thinking_delta", "thinking": .string(text)]) }
                delta(["type": "signature_delta", "signature": .string(signature)])
            case .text(let deltas):
                add(["type": "content_block_start", "index": blockIndex, "content_block": ["type": "text", "text": ""]])
                if index == 0 { events.append(Self.ping) }
                for text in deltas { delta(["type": "text_delta", "text": .string(text)]) }
            case .toolUse(let id, let name, _, let fragments):
                add(["type": "content_block_start", "index": blockIndex, "content_block": ["type": "tool_use", "id": .string(id), "name": .string(name), "input": [:]]])
                if index == 0 { events.append(Self.ping) }
                // The real API opens every tool input with an empty fragment.
                for fragment in [""] + fragments { delta(["type": "input_json_delta", "partial_json": .string(fragment)]) }
            }
            add(["type": "content_block_stop", "index": blockIndex])
        }
        add(["type": "message_delta", "delta": ["stop_reason": .string(self.stopReason), "stop_sequence": nil], "usage": self.finalUsage])
        add(["type": "message_stop"])
        return events.map(\.byteBuffer)
    }

    /// Exactly as the real API writes it, with a space after the colon.
    private static let ping = SSEEvent(event: "ping", data: #"{"type": "ping"}"#)
}
