public import Foundation

/// One frame of a streamed response and when it arrived, relative to the response head.
public struct CassetteFrame: Codable, Sendable, Hashable {
    public var offsetMs: Int
    public var encoding: CassetteBody.Encoding
    public var data: String

    public init(offsetMs: Int, body: CassetteBody) {
        self.offsetMs = offsetMs
        self.encoding = body.encoding
        self.data = body.data
    }

    public init(offsetMs: Int, bytes: some Collection<UInt8>, preferBinary: Bool = false) {
        self.init(offsetMs: offsetMs, body: CassetteBody(bytes: bytes, preferBinary: preferBinary))
    }

    public var body: CassetteBody { CassetteBody(encoding: self.encoding, data: self.data) }
    public var bytes: Data { self.body.bytes }

    enum CodingKeys: String, CodingKey {
        case encoding, data
        case offsetMs = "offset_ms"
    }
}
