import Foundation
import WireFormats

@testable import RouterTranslation

/// Splits an `application/vnd.amazon.eventstream` body into the messages the proxy's framer
/// hands to the stream translator: `:event-type` (or `:exception-type`) and the payload.
/// Frame: total length (4), headers length (4), prelude CRC (4), headers, payload, message CRC (4);
/// header: name length (1), name, value type (1; 7 = string: length (2), bytes). CRCs are not
/// checked here: the proxy's framer does that, and these bytes are a recorded capture.
enum AWSEventStreamTestDecoder {
    static func messages(_ bytes: [UInt8]) -> [UpstreamStreamMessage] {
        var messages: [UpstreamStreamMessage] = []
        var offset = 0
        func uint(_ at: Int, _ width: Int) -> Int { (0..<width).reduce(0) { $0 << 8 | Int(bytes[at + $1]) } }
        while offset + 12 <= bytes.count {
            let total = uint(offset, 4)
            let headersLength = uint(offset + 4, 4)
            var cursor = offset + 12
            let headersEnd = cursor + headersLength
            var headers: [String: String] = [:]
            while cursor < headersEnd {
                let nameLength = Int(bytes[cursor])
                let name = String(decoding: bytes[(cursor + 1)..<(cursor + 1 + nameLength)], as: UTF8.self)
                cursor += 1 + nameLength
                let type = bytes[cursor]
                cursor += 1
                guard type == 7 else { break }
                let valueLength = uint(cursor, 2)
                headers[name] = String(decoding: bytes[(cursor + 2)..<(cursor + 2 + valueLength)], as: UTF8.self)
                cursor += 2 + valueLength
            }
            let payload = Data(bytes[headersEnd..<(offset + total - 4)])
            let event = headers[":message-type"] == "exception" ? headers[":exception-type"] : headers[":event-type"]
            messages.append(UpstreamStreamMessage(event: event, data: payload))
            offset += total
        }
        return messages
    }
}
