import Foundation
package import WireFormats

/// Cohere's embedding encodings, shared by the Cohere API (`/v1/embed`, `/v2/embed`) and Cohere
/// models on Bedrock (`InvokeModel`), which answer with the same body.
///
/// Vectors come from ``DeterministicEmbedding``. `int8` is each component × 127 rounded,
/// `uint8` (component + 1) × 127.5 rounded; `ubinary` packs one bit per component (set when
/// positive, most significant bit first) into bytes, `binary` is the same bytes minus 128 (Cohere's
/// signed form); `base64` is the little-endian float32 bytes, as OpenAI's.
package enum CohereEmbeddings {
    package static let types = ["float", "int8", "uint8", "binary", "ubinary", "base64"]
    package static let inputTypes = ["search_document", "search_query", "classification", "clustering", "image"]

    /// `{"<type>": [one entry per text]}` for every requested type.
    package static func byType(_ vectors: [[Float]], types: [String]) -> JSONValue {
        var result: [String: JSONValue] = [:]
        for type in types {
            result[type] = .array(vectors.map { Self.encode($0, as: type) })
        }
        return .object(result)
    }

    /// The float vectors as nested arrays (`embeddings_floats`).
    package static func floats(_ vectors: [[Float]]) -> JSONValue {
        .array(vectors.map { Self.encode($0, as: "float") })
    }

    static func encode(_ vector: [Float], as type: String) -> JSONValue {
        switch type {
        case "int8":
            return .array(vector.map { .int(Int(max(-128, min(127, ($0 * 127).rounded())))) })
        case "uint8":
            return .array(vector.map { .int(Int(max(0, min(255, (($0 + 1) * 127.5).rounded())))) })
        case "ubinary":
            return .array(Self.packedBits(vector).map { .int(Int($0)) })
        case "binary":
            return .array(Self.packedBits(vector).map { .int(Int($0) - 128) })
        case "base64":
            return .string(DeterministicEmbedding.base64(vector))
        default:
            return DeterministicEmbedding.json(vector)
        }
    }

    static func packedBits(_ vector: [Float]) -> [UInt8] {
        stride(from: 0, to: vector.count, by: 8).map { start in
            var byte: UInt8 = 0
            for offset in 0..<8 {
                byte <<= 1
                if start + offset < vector.count, vector[start + offset] > 0 { byte |= 1 }
            }
            return byte
        }
    }
}
