package import Foundation

/// One frame of a streamed response and when it arrived, relative to the response head.
package struct CassetteFrame: Codable, Sendable, Hashable {
    package var offsetMs: Int
    package var encoding: CassetteBody.Encoding
    package var data: String

    package init(offsetMs: Int, body: CassetteBody) {
        self.offsetMs = offsetMs
        self.encoding = body.encoding
        self.data = body.data
    }

    package init(offsetMs: Int, bytes: some Collection<UInt8>, preferBinary: Bool = false) {
        self.init(offsetMs: offsetMs, body: CassetteBody(bytes: bytes, preferBinary: preferBinary))
    }

    package var body: CassetteBody { CassetteBody(encoding: self.encoding, data: self.data) }
    package var bytes: Data { self.body.bytes }

    enum CodingKeys: String, CodingKey {
        case encoding, data
        case offsetMs = "offset_ms"
    }
}
