import Foundation
package import WireFormats

/// A unit-length vector that is a fixed function of the input text and the dimension.
///
/// Components come from a SplitMix64 sequence seeded with the FNV-1a hash of the text, mapped to
/// [-1, 1], then normalised, as the real API returns normalised vectors.
package enum DeterministicEmbedding {
    package static func vector(for text: String, dimensions: Int) -> [Float] {
        var state = StableHash.fnv1a(text)
        var components = [Double](repeating: 0, count: dimensions)
        for index in 0..<dimensions {
            state = state &+ 0x9e37_79b9_7f4a_7c15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
            mixed ^= mixed >> 31
            components[index] = Double(mixed >> 11) / Double(1 << 53) * 2 - 1
        }
        let length = components.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return components.map { Float(length > 0 ? $0 / length : 0) }
    }

    /// The vector as a JSON array of numbers, as every API's float encoding sends it.
    package static func json(_ vector: [Float]) -> JSONValue {
        .array(vector.map { .double(Double($0)) })
    }

    /// Little-endian float32 bytes, base64-encoded: what `encoding_format: "base64"` returns and
    /// what the Python SDK decodes.
    package static func base64(_ vector: [Float]) -> String {
        var bytes = Data(capacity: vector.count * 4)
        for component in vector {
            withUnsafeBytes(of: component.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes.base64EncodedString()
    }
}
