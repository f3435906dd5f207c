import CZlib
package import Foundation

/// Inflates a gzip'd cassette body (kept compressed, byte-exact, as it was recorded) so its
/// structure can be read: `cassette diff` and `cassette lint` look inside.
package enum GzipInflater {
    /// The most bytes one body may inflate to: a cassette is a test fixture, and a body that
    /// inflates past this is refused rather than allowed to exhaust memory.
    package static let maximumInflatedBytes = 64 * 1024 * 1024

    /// Whether `data` starts with gzip's magic bytes.
    package static func isGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    /// The inflated bytes; `nil` when `data` is not a complete gzip stream or inflates past
    /// ``maximumInflatedBytes``.
    package static func inflate(_ data: Data) -> Data? {
        guard self.isGzip(data) else { return nil }
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header and trailer, not a raw zlib stream.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = [UInt8](data)
        let inputCount = input.count
        return input.withUnsafeMutableBufferPointer { inputBuffer -> Data? in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputCount)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> Int32 in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if output.count > self.maximumInflatedBytes { return nil }
                switch status {
                case Z_STREAM_END: return output
                case Z_OK: if produced == 0 && stream.avail_in == 0 { return nil }  // truncated
                default: return nil
                }
            }
        }
    }
}

extension CassetteBody {
    /// The bytes with gzip undone when they are gzip'd (recognised by its magic bytes, as the
    /// content-encoding header may sit on another frame); the bytes as they are otherwise.
    package var inflatedBytes: Data {
        let bytes = self.bytes
        guard GzipInflater.isGzip(bytes) else { return bytes }
        return GzipInflater.inflate(bytes) ?? bytes
    }
}
