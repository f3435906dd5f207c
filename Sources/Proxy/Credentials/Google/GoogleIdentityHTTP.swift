import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A bounded call to a Google identity endpoint (token endpoint, metadata server), on the same
/// process-wide clients as the AWS identity calls, with failures described without URLs' secrets
/// or bodies.
enum GoogleIdentityHTTP {
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: String
    }

    static func send(
        _ method: HTTPMethod,
        url: String,
        headers: [(String, String)] = [],
        form: [(String, String)]? = nil,
        timeout: Duration,
        caBundle: String?,
        source: String
    ) async throws(ProxyError) -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            request.headers.replaceOrAdd(name: "content-type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.formEncoded(form)))
        }
        let amount = AWSIdentityHTTP.timeAmount(timeout)
        do {
            let response = try await AWSIdentityHTTP.client(trusting: caBundle).execute(request, deadline: .now() + amount)
            let bytes = try await response.body.collect(upTo: AWSIdentityHTTP.maximumBodyBytes)
            return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
        } catch let error as HTTPClientError where [.deadlineExceeded, .connectTimeout, .readTimeout].contains(error) {
            throw .googleCredentialsUnavailable(source: source, reason: "no answer within \(amount.nanoseconds / 1_000_000) ms")
        } catch {
            throw .googleCredentialsUnavailable(source: source, reason: "the endpoint could not be reached")
        }
    }

    /// `application/x-www-form-urlencoded`: everything but unreserved characters escaped.
    static func formEncoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { name, value in
            "\(name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }
}
