extension Substring {
    /// Without the optional whitespace HTTP allows around a field value and around each element
    /// of a list (RFC 9110 §5.6.3: spaces and horizontal tabs), and nothing else.
    ///
    /// For what every request reads (its key, the response's content type): Foundation's
    /// `trimmingCharacters(in: .whitespaces)` there cost 2% of the proxy's CPU (perf, issue 15),
    /// and it also trims Unicode spaces that HTTP does not treat as whitespace.
    package func trimmingHTTPWhitespace() -> Substring {
        let bytes = self.utf8
        let isContent = { (byte: UInt8) in byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: isContent), let last = bytes.lastIndex(where: isContent) else {
            return self[self.endIndex...]
        }
        // Both ends are scalar boundaries: the bytes beside them are ASCII (or the ends of the string).
        return self[first..<bytes.index(after: last)]
    }
}

extension String {
    /// ``Substring/trimmingHTTPWhitespace()`` of the whole string.
    package func trimmingHTTPWhitespace() -> Substring { self[...].trimmingHTTPWhitespace() }
}
