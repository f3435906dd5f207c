import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Bounded calls to Entra ID and managed-identity endpoints, on the same process-wide clients
/// as the AWS identity calls (so `ARCHESTRA_UPSTREAM_CA_BUNDLE` is trusted the same way).
enum AzureIdentityHTTP {
    struct Answer {
        var status: Int
        var body: String
    }

    static func send(
        _ method: HTTPMethod,
        url: String,
        headers: [(String, String)] = [],
        body: String? = nil,
        timeout: Duration,
        caBundle: String?,
        source: String
    ) async throws(ProxyError) -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let amount = AWSIdentityHTTP.timeAmount(timeout)
        do {
            let response = try await AWSIdentityHTTP.client(trusting: caBundle).execute(request, deadline: .now() + amount)
            let bytes = try await response.body.collect(upTo: AWSIdentityHTTP.maximumBodyBytes)
            return Answer(status: Int(response.status.code), body: String(buffer: bytes))
        } catch let error as HTTPClientError where [.deadlineExceeded, .connectTimeout, .readTimeout].contains(error) {
            throw .entraTokenUnavailable(source: source, reason: "no answer within \(amount.nanoseconds / 1_000_000) ms")
        } catch {
            throw .entraTokenUnavailable(source: source, reason: "the endpoint could not be reached (\(Self.describe(error)))")
        }
    }

    /// A connection-level failure in a few words (refused, TLS untrusted), without URLs.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }

    /// A token answer from Entra or managed identity: `access_token` plus `expires_in` (seconds,
    /// a number from Entra, a string from IMDS) or `expires_on` (epoch seconds as a string).
    static func parseToken(_ answer: Answer, now: Date, source: String, endpointName: String) throws(ProxyError) -> AzureAccessToken {
        let object = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any]
        guard answer.status == 200 else {
            throw .entraTokenUnavailable(source: source, reason: "\(endpointName) answered \(answer.status) \(Self.errorText(object, body: answer.body))")
        }
        guard let object, let token = object["access_token"] as? String, !token.isEmpty else {
            throw .entraTokenUnavailable(source: source, reason: "\(endpointName) answered 200 without an access_token")
        }
        var expiration: Date?
        if let seconds = Self.number(object["expires_in"]) {
            expiration = now.addingTimeInterval(seconds)
        } else if let epoch = Self.number(object["expires_on"]) {
            expiration = Date(timeIntervalSince1970: epoch)
        }
        return AzureAccessToken(token: token, expiration: expiration, obtained: now)
    }

    static func number(_ value: Any?) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String { return Double(text.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    /// Entra's `error` and the first line of `error_description` (`AADSTS7000215: …`; the rest
    /// is trace ids), else the start of the body. Error bodies carry no secrets.
    static func errorText(_ object: [String: Any]?, body: String) -> String {
        if let object, let error = object["error"] as? String {
            guard let description = object["error_description"] as? String,
                let line = description.split(whereSeparator: \.isNewline).first
            else { return error }
            return "\(error): \(line.trimmingCharacters(in: .whitespaces))"
        }
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "with an empty body" }
        return trimmed.count > 200 ? String(trimmed.prefix(200)) + "…" : trimmed
    }

    static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\(Self.percentEncode($0.1))" }.joined(separator: "&")
    }

    static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
