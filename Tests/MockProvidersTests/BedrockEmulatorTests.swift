import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MockProviders
import NIOCore
import Testing
import WireFormats

/// The Bedrock emulator's authentication, checked as AWS checks it, and the identity emulators'
/// refusals.
struct BedrockEmulatorTests {
    static func signedHeaders(path: String, body: String, credentials: SigV4Credentials, date: Date = Date()) -> HTTPFields {
        let request = SigV4Request(
            method: "POST", rawPath: path, rawQuery: nil,
            headers: [("host", "localhost"), ("content-type", "application/json")], payloadHash: SigV4Signer.payloadHash(Data(body.utf8))
        )
        var fields: HTTPFields = [.contentType: "application/json"]
        for header in SigV4Signer(service: "bedrock", region: "us-east-1").sign(request, credentials: credentials, date: date) {
            fields[HTTPField.Name(header.name)!] = header.value
        }
        return fields
    }

    static let body = #"{"messages":[{"role":"user","content":[{"text":"hello"}]}]}"#
    static let path = "/model/us.amazon.nova-pro-v1%3A0/converse"

    func send(_ headers: HTTPFields, body: String = Self.body) async throws -> (HTTPResponse.Status, String?, String) {
        let app = Application(router: BedrockEmulator.makeRouter())
        return try await app.test(.router) { client in
            let response = try await client.execute(uri: Self.path, method: .post, headers: headers, body: ByteBuffer(string: body))
            return (response.status, response.headers[HTTPField.Name("x-amzn-ErrorType")!], String(buffer: response.body))
        }
    }

    @Test("a request signed by temporary credentials the emulators issued is accepted")
    func issuedCredentialsAccepted() async throws {
        let credentials = AWSMockCredentialAuthority.issue(lifetime: 900)
        let (status, _, body) = try await self.send(Self.signedHeaders(path: Self.path, body: Self.body, credentials: credentials))
        #expect(status == .ok)
        #expect(body.contains("Echo: hello"))
    }

    @Test("expired session credentials are refused with ExpiredTokenException")
    func expiredToken() async throws {
        let credentials = AWSMockCredentialAuthority.issue(lifetime: -10)
        let (status, type, _) = try await self.send(Self.signedHeaders(path: Self.path, body: Self.body, credentials: credentials))
        #expect(status == .forbidden)
        #expect(type?.hasPrefix("ExpiredTokenException:") == true)
    }

    @Test("a body changed after signing is an InvalidSignatureException")
    func tamperedBody() async throws {
        let credentials = SigV4Credentials(accessKeyID: AWSMockCredentialAuthority.accessKeyID, secretAccessKey: AWSMockCredentialAuthority.secretAccessKey)
        let headers = Self.signedHeaders(path: Self.path, body: Self.body, credentials: credentials)
        let (status, type, body) = try await self.send(headers, body: Self.body.replacingOccurrences(of: "hello", with: "hullo"))
        #expect(status == .forbidden)
        #expect(type?.hasPrefix("InvalidSignatureException:") == true)
        #expect(!body.contains(AWSMockCredentialAuthority.secretAccessKey))
    }

    @Test("a forged session token is unrecognized")
    func forgedToken() async throws {
        let issued = AWSMockCredentialAuthority.issue(lifetime: 900)
        let forged = SigV4Credentials(accessKeyID: issued.accessKeyID, secretAccessKey: issued.secretAccessKey, sessionToken: (issued.sessionToken ?? "") + "0")
        let (status, type, _) = try await self.send(Self.signedHeaders(path: Self.path, body: Self.body, credentials: forged))
        #expect(status == .forbidden)
        #expect(type?.hasPrefix("UnrecognizedClientException:") == true)
    }

    @Test("no Authorization header is MissingAuthenticationTokenException; a bearer API key is accepted")
    func bearerAndMissing() async throws {
        let missing = try await self.send([.contentType: "application/json"])
        #expect(missing.0 == .forbidden)
        #expect(missing.1?.hasPrefix("MissingAuthenticationTokenException:") == true)
        let bearer = try await self.send([.contentType: "application/json", .authorization: "Bearer \(AWSMockCredentialAuthority.bedrockAPIKey)"])
        #expect(bearer.0 == .ok)
    }

    @Test("IMDS refuses metadata reads without a session token")
    func imdsNeedsToken() async throws {
        let app = Application(router: AWSIdentityEmulator.makeRouter())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/latest/meta-data/iam/security-credentials/", method: .get)
            #expect(response.status == .unauthorized)
        }
    }

    @Test("STS errors are AWS's ErrorResponse XML")
    func stsErrorXML() async throws {
        let app = Application(router: AWSIdentityEmulator.makeRouter())
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=s&WebIdentityToken=garbage")
            )
            #expect(response.status == .badRequest)
            let text = String(buffer: response.body)
            #expect(text.contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"))
            #expect(text.contains("<Code>InvalidIdentityToken</Code>"))
        }
    }
}
