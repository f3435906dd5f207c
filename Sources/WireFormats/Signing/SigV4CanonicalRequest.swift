import Crypto
import Foundation

/// The parts of an HTTP request SigV4 covers, as they go on the wire.
package struct SigV4Request: Sendable {
    package var method: String
    /// The path exactly as sent, still percent-encoded (`/model/x-v1%3A0/converse`).
    package var rawPath: String
    /// The query string as sent, without `?`; `nil` or empty when there is none.
    package var rawQuery: String?
    /// Header names in any case; several values of one name are joined with `,`.
    package var headers: [(name: String, value: String)]
    /// Hex SHA-256 of the exact body bytes.
    package var payloadHash: String

    package init(method: String, rawPath: String, rawQuery: String?, headers: [(name: String, value: String)], payloadHash: String) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.payloadHash = payloadHash
    }

    /// The value of `name` (case-insensitive), several values joined with `,`.
    package func header(_ name: String) -> String? {
        let values = self.headers.filter { $0.name.lowercased() == name }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}

/// The canonical request and string to sign of SigV4, and the key derivation; shared by
/// ``SigV4Signer`` and ``SigV4Verifier`` so both compute exactly the same thing.
///
/// The canonical URI is the raw path URI-encoded once more (`%3A` → `%253A`), as every AWS
/// service except S3 expects and botocore sends (`quote(path, safe="/~")`).
enum SigV4Canonical {
    static let algorithm = "AWS4-HMAC-SHA256"

    static func canonicalRequest(_ request: SigV4Request, signedHeaders: [String]) -> String {
        let canonicalHeaders = signedHeaders.map { name in
            "\(name):\(Self.normalizedHeaderValue(request.header(name) ?? ""))\n"
        }.joined()
        return [
            request.method.uppercased(),
            Self.uriEncode(request.rawPath.isEmpty ? "/" : request.rawPath, keepingSlash: true),
            Self.canonicalQuery(request.rawQuery),
            canonicalHeaders,
            signedHeaders.joined(separator: ";"),
            request.payloadHash,
        ].joined(separator: "\n")
    }

    static func stringToSign(canonicalRequest: String, amzDate: String, scope: String) -> String {
        [Self.algorithm, amzDate, scope, Self.hexSHA256(Data(canonicalRequest.utf8))].joined(separator: "\n")
    }

    static func signingKey(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data(("AWS4" + secret).utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    static func signature(stringToSign: String, key: SymmetricKey) -> String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    }

    static func hexSHA256(_ data: some DataProtocol) -> String {
        Self.hex(SHA256.hash(data: data))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        Hex.lowercase(bytes)
    }

    /// Trimmed, inner runs of spaces collapsed to one.
    static func normalizedHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Pairs decoded then re-encoded with RFC 3986 rules, sorted by key then value.
    static func canonicalQuery(_ query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return (Self.uriEncode(key, keepingSlash: false), Self.uriEncode(value, keepingSlash: false))
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Percent-encodes every byte except RFC 3986 unreserved characters (and `/` when asked).
    static func uriEncode(_ text: String, keepingSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlash:
                out.append("/")
            default:
                let digits = Array("0123456789ABCDEF")
                out.append("%")
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// `20150830T123600Z` and `20150830` for `date`, in UTC.
    static func timestamps(for date: Date) -> (amzDate: String, day: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let day = pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2)
        return (day + "T" + pad(parts.hour, 2) + pad(parts.minute, 2) + pad(parts.second, 2) + "Z", day)
    }

    /// Parses `20150830T123600Z`.
    static func date(fromAmzDate text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(9..<11),
            let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }
}
