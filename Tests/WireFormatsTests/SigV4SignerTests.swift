import Foundation
import Testing
import WireFormats

/// Vectors from the AWS Signature Version 4 test suite (`aws-sig-v4-test-suite`, published by
/// Amazon Web Services at https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html:
/// `get-vanilla`, `get-vanilla-query-order-key-case`, `post-vanilla`) and the S3 API reference's
/// "Example: GET Object" (sig-v4-header-based-auth). Credentials and dates are the suites' own.
struct SigV4SignerTests {
    static let suiteCredentials = SigV4Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let query: String?
        let expectedSignature: String
        var testDescription: String { self.name }
    }

    static let suiteVectors = [
        Vector(name: "get-vanilla", method: "GET", query: nil, expectedSignature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "get-vanilla-query-order-key-case", method: "GET", query: "Param2=value2&Param1=value1",
            expectedSignature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        ),
        Vector(name: "post-vanilla", method: "POST", query: nil, expectedSignature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
    ]

    @Test("signs the AWS test suite's requests as the suite expects", arguments: suiteVectors)
    func suiteVector(_ vector: Vector) {
        let request = SigV4Request(
            method: vector.method, rawPath: "/", rawQuery: vector.query,
            headers: [("Host", "example.amazonaws.com")], payloadHash: SigV4Signer.emptyPayloadHash
        )
        let added = SigV4Signer(service: "service", region: "us-east-1").sign(request, credentials: Self.suiteCredentials, date: Self.suiteDate)
        let authorization = added.first { $0.name == "authorization" }?.value
        #expect(added.first { $0.name == "x-amz-date" }?.value == "20150830T123600Z")
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=\(vector.expectedSignature)"
        )
    }

    @Test("signs S3's documented GET Object example")
    func s3Example() {
        let request = SigV4Request(
            method: "GET", rawPath: "/test.txt", rawQuery: nil,
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"), ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash)],
            payloadHash: SigV4Signer.emptyPayloadHash
        )
        let credentials = SigV4Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let added = SigV4Signer(service: "s3", region: "us-east-1").sign(request, credentials: credentials, date: Date(timeIntervalSince1970: 1_369_353_600))
        #expect(added.first { $0.name == "authorization" }?.value.hasSuffix("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41") == true)
    }

    @Test("the verifier accepts what the signer signs, and only that")
    func verifierRoundTrip() throws {
        let body = Data(#"{"messages":[]}"#.utf8)
        let credentials = SigV4Credentials(accessKeyID: "AKIAARCHESTRAMOCK", secretAccessKey: "secret", sessionToken: "token")
        var request = SigV4Request(
            method: "POST", rawPath: "/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse", rawQuery: nil,
            headers: [("host", "127.0.0.1:8080"), ("content-type", "application/json")], payloadHash: SigV4Signer.payloadHash(body)
        )
        let now = Date()
        let added = SigV4Signer(service: "bedrock", region: "us-east-1").sign(request, credentials: credentials, date: now)
        request.headers += added.filter { $0.name != "authorization" }
        let header = try #require(added.first { $0.name == "authorization" }?.value)
        let authorization = try #require(SigV4Authorization(header: header))
        #expect(authorization.signedHeaders == ["content-type", "host", "x-amz-date", "x-amz-security-token"])
        let verifier = SigV4Verifier()
        #expect(throws: Never.self) { try verifier.verify(request, authorization: authorization, secretAccessKey: "secret", now: now).get() }
        #expect(throws: SigV4Verifier.Failure.signatureMismatch) {
            try verifier.verify(request, authorization: authorization, secretAccessKey: "other", now: now).get()
        }
        var tampered = request
        tampered.payloadHash = SigV4Signer.payloadHash(Data("{}".utf8))
        #expect(throws: SigV4Verifier.Failure.signatureMismatch) {
            try verifier.verify(tampered, authorization: authorization, secretAccessKey: "secret", now: now).get()
        }
        #expect(throws: SigV4Verifier.Failure.requestTimeTooSkewed) {
            try verifier.verify(request, authorization: authorization, secretAccessKey: "secret", now: now.addingTimeInterval(3600)).get()
        }
    }

    /// botocore 1.44.8's signature for this request (`Tests/SDK/test_bedrock_sigv4_botocore.py`
    /// recomputes it with botocore and fails if botocore disagrees): an inference-profile ARN in
    /// the path, an unsorted query, a session token, a non-default port.
    @Test("signs a Bedrock ARN request exactly as botocore does")
    func botocoreVector() {
        let path = "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream"
        let body = Data(#"{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}"#.utf8)
        let request = SigV4Request(
            method: "POST", rawPath: path, rawQuery: "b=2&a=1",
            headers: [("Content-Type", "application/json"), ("host", "127.0.0.1:18084")], payloadHash: SigV4Signer.payloadHash(body)
        )
        let credentials = SigV4Credentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "session/token+value=="
        )
        let added = SigV4Signer(service: "bedrock", region: "us-east-1").sign(request, credentials: credentials, date: Date(timeIntervalSince1970: 1_795_734_139))
        #expect(added.first { $0.name == "x-amz-date" }?.value == "20261126T230219Z")
        #expect(
            added.first { $0.name == "authorization" }?.value
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261126/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=ce0fa33518b186082ecc693fc209887528322f7a1399a643289c73a24287149b"
        )
    }

    @Test("credentials never print their secret or token")
    func credentialsDescription() {
        let credentials = SigV4Credentials(accessKeyID: "AKIA1", secretAccessKey: "very-secret", sessionToken: "session-token")
        #expect(!String(describing: credentials).contains("very-secret"))
        #expect(!String(describing: credentials).contains("session-token"))
    }
}
