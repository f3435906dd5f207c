import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension CassetteRequest {
    /// The request as a cassette records it: method, request target, every header in order,
    /// and the collected body (absent when empty).
    init(head: HTTPRequest, body: ByteBuffer) {
        self.init(
            method: head.method.rawValue,
            path: head.path ?? "/",
            headers: head.headerFields.map { CassetteHeader($0.name.rawName, $0.value) },
            body: body.readableBytes == 0 ? nil : CassetteBody(bytes: body.readableBytesView)
        )
    }
}

extension Array where Element == CassetteHeader {
    /// These headers as HTTP fields, leaving out the names in `dropping` (lower-cased) and any
    /// name HTTP would reject.
    func httpFields(dropping: Set<String>) -> HTTPFields {
        var fields = HTTPFields()
        for header in self where !dropping.contains(header.name.lowercased()) {
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return fields
    }
}
