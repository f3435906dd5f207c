import Foundation
import WireFormats

/// SigV4 verification as the Bedrock emulator does it, on a request read from the input
/// (`METHOD path?query` line, `name: value` header lines, a blank line, the body).
enum SigV4Target {
    static let credentials = SigV4Credentials(accessKeyID: "AKIDFUZZ", secretAccessKey: "fuzz-secret")
    static let now = Date(timeIntervalSince1970: 1_733_500_000)

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let (head, body) = text.split(separator: "\n\n", maxSplits: 1, omittingEmptySubsequences: false).twoParts
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        guard !lines.isEmpty else { return }
        let requestLine = lines.removeFirst().split(separator: " ", maxSplits: 1)
        let method = requestLine.first.map(String.init) ?? ""
        let target = requestLine.count > 1 ? String(requestLine[1]) : "/"
        let (path, query) = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).twoParts
        let headers: [(name: String, value: String)] = lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let request = SigV4Request(
            method: method, rawPath: String(path), rawQuery: query.map(String.init), headers: headers,
            payloadHash: SigV4Signer.payloadHash(Data(body.map { Array($0.utf8) } ?? [])))

        // A request signed by nobody (whatever its authorization header says) is refused.
        if let header = request.header("authorization"), let authorization = SigV4Authorization(header: header) {
            let result = SigV4Verifier().verify(request, authorization: authorization, secretAccessKey: self.credentials.secretAccessKey, now: self.now)
            if case .success = result { preconditionFailure("an unsigned request verified") }
        }

        // The same request signed by our signer verifies: what the proxy sends, the emulator
        // accepts. Header names are HTTP tokens (a server refuses others before this point).
        let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var signable = request
        signable.headers = headers.filter { header in
            !header.name.isEmpty && header.name.allSatisfy(tokenCharacters.contains)
                && !["x-amz-date", "x-amz-security-token", "authorization"].contains(header.name.lowercased())
        }
        if signable.header("host") == nil { signable.headers.append(("host", "bedrock-runtime.us-east-1.amazonaws.com")) }
        let added = SigV4Signer(service: "bedrock", region: "us-east-1").sign(signable, credentials: self.credentials, date: self.now)
        signable.headers += added
        guard let header = signable.header("authorization"), let authorization = SigV4Authorization(header: header) else {
            preconditionFailure("the signer wrote an authorization header the verifier cannot read")
        }
        let result = SigV4Verifier().verify(signable, authorization: authorization, secretAccessKey: self.credentials.secretAccessKey, now: self.now)
        if case .failure(let failure) = result { preconditionFailure("a signed request was refused: \(failure)") }
    }
}

extension Array where Element == Substring {
    /// The first element and, when there is one, the second (for `split(maxSplits: 1)`).
    fileprivate var twoParts: (Substring, Substring?) {
        (self.first ?? "", self.count > 1 ? self[1] : nil)
    }
}
