import Foundation
import HummingbirdTesting
import MockProviders
import Testing
import WireFormats

/// The real captures converted into `Cassettes/<provider>/` (byte-exact copies of the streams in
/// `shared/real-traffic/`, beside the repository), read as event JSON for structural comparison with an emulator.
enum CapturedStreams {
    static let cassettes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Cassettes")

    /// The concatenated stream (or body) of every 200 response in a converted cassette.
    static func bodies(_ relativePath: String) throws -> [String] {
        let data = try Data(contentsOf: Self.cassettes.appendingPathComponent(relativePath))
        let cassette = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let interactions = try #require(cassette["interactions"] as? [[String: Any]])
        return interactions.compactMap { interaction in
            guard let response = interaction["response"] as? [String: Any], response["status"] as? Int == 200 else { return nil }
            if let frames = response["stream"] as? [[String: Any]] {
                return frames.compactMap { $0["encoding"] as? String == "utf8" ? $0["data"] as? String : nil }.joined()
            }
            return (response["body"] as? [String: Any])?["data"] as? String
        }
    }

    /// Every SSE event's data parsed as JSON (`[DONE]` and non-JSON skipped). Line ends may be CRLF.
    static func dataObjects(_ stream: String) -> [JSONValue] {
        stream.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").compactMap { block in
            let data = block.split(separator: "\n").filter { $0.hasPrefix("data:") }.map { $0.dropFirst(5).drop(while: { $0 == " " }) }.joined(separator: "\n")
            return try? JSONValue(parsing: Data(data.utf8))
        }
    }

    /// Dotted paths of every object key, arrays looked into (`candidates[].content.parts[].text`).
    static func keyPaths(_ value: JSONValue, prefix: String = "") -> Set<String> {
        switch value {
        case .object(let object):
            var paths = Set<String>()
            for (key, child) in object {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                paths.insert(path)
                paths.formUnion(Self.keyPaths(child, prefix: path))
            }
            return paths
        case .array(let items):
            return items.reduce(into: Set<String>()) { $0.formUnion(Self.keyPaths($1, prefix: prefix + "[]")) }
        default:
            return []
        }
    }

    /// Key paths grouped by a discriminator of the event (its type, a delta's type).
    static func pathsByKind(_ events: [JSONValue], kind: (JSONValue) -> String) -> [String: Set<String>] {
        events.reduce(into: [:]) { $0[kind($1), default: []].formUnion(Self.keyPaths($1)) }
    }

    /// What the real events of each kind have and the emulated ones of the same kind lack.
    static func missing(real: [JSONValue], emulated: [JSONValue], kind: (JSONValue) -> String, ignoring ignored: Set<String>) -> [String: Set<String>] {
        let realPaths = Self.pathsByKind(real, kind: kind)
        let emulatedPaths = Self.pathsByKind(emulated, kind: kind)
        var missing: [String: Set<String>] = [:]
        for (name, paths) in realPaths {
            guard let emulatedKind = emulatedPaths[name] else { continue }
            // An ignored `a.*` ignores only what is below `a`.
            let lacking = paths.subtracting(emulatedKind).filter { path in
                !ignored.contains { entry in
                    entry.hasSuffix(".*") ? path.hasPrefix(entry.dropLast()) : path == entry || path.hasPrefix(entry + ".") || path.hasPrefix(entry + "[")
                }
            }
            if !lacking.isEmpty { missing[name] = lacking }
        }
        return missing
    }
}

@Suite("Anthropic emulator output has the structure of real captures")
struct AnthropicCaptureStructureTests {
    typealias Support = NativeEmulatorSupport
    /// Fields the real API added after the SDKs' models (no SDK reads them).
    static let ignored: Set<String> = ["message.stop_details", "message.usage.inference_geo", "message.usage.cache_creation", "usage.inference_geo", "usage.cache_creation"]

    static func kind(_ event: JSONValue) -> String {
        let type = event["type"]?.stringValue ?? "?"
        if let deltaType = event["delta"]?["type"]?.stringValue { return "\(type)/\(deltaType)" }
        if let blockType = event["content_block"]?["type"]?.stringValue { return "\(type)/\(blockType)" }
        return type
    }

    @Test("a tool-use stream: same event kinds in the same order, and every real field present")
    func toolUseStream() async throws {
        let real = try CapturedStreams.bodies("anthropic/messages-stream-tools-2turn.ruby-vcr.json").map(CapturedStreams.dataObjects)
        let realFirst = try #require(real.first)
        try await Support.application(AnthropicEmulator.makeRouter()).test(.router) { client in
            let response = try await Support.post(client, "/v1/messages", [
                "model": "claude", "max_tokens": 1024, "stream": true,
                "tools": [["name": "bash", "input_schema": ["type": "object", "properties": ["command": ["type": "string"]], "required": ["command"]]]],
                "messages": [["role": "user", "content": "run bash date"]],
            ], headers: AnthropicEmulatorTests.key)
            let emulated = CapturedStreams.dataObjects(String(buffer: response.body))
            // The real turn opens with a text block before the tool; the emulator goes straight to
            // the tool. Apart from that block (and `ping`, allowed anywhere) the kinds and their
            // order agree.
            func order(_ events: [JSONValue]) -> [String] {
                events.map(Self.kind)
                    .filter { !["ping", "content_block_start/text", "content_block_delta/text_delta", "content_block_stop"].contains($0) }
                    .reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            }
            #expect(order(emulated) == order(realFirst))
            #expect(order(emulated).count == 5)
            #expect(CapturedStreams.missing(real: realFirst, emulated: emulated, kind: Self.kind, ignoring: Self.ignored) == [:])
            #expect(emulated.last?["type"] == "message_stop")
        }
        // The real second turn (after the tool result) is text: compare a text stream too.
        let realText = try #require(real.last)
        try await Support.application(AnthropicEmulator.makeRouter()).test(.router) { client in
            let response = try await Support.post(client, "/v1/messages", ["model": "claude", "max_tokens": 1024, "stream": true, "messages": [["role": "user", "content": "hello"]]], headers: AnthropicEmulatorTests.key)
            let emulated = CapturedStreams.dataObjects(String(buffer: response.body))
            #expect(CapturedStreams.missing(real: realText, emulated: emulated, kind: Self.kind, ignoring: Self.ignored) == [:])
            func kinds(_ events: [JSONValue]) -> [String] {
                events.map(Self.kind).filter { $0 != "ping" }.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            }
            #expect(kinds(emulated) == kinds(realText))
        }
    }
}
