import AsyncHTTPClient
import Foundation
import Hummingbird
import InMemoryLogging
import HTTPTypes
import Logging
import MockProviders
import NIOCore
import Synchronization
import Testing
import WireFormats
import TestSupport

/// Bedrock through the proxy: URL shapes, event-stream relay frame for frame, exception frames
/// for mid-stream failures, AWS-shaped errors, and IAM signing verified by the emulator.
@Suite(.timeLimit(.minutes(1)))
struct BedrockRelayTests {
    static let eventStream: HTTPFields = [.contentType: "application/vnd.amazon.eventstream"]

    static func converse(_ url: String, json: String = #"{"messages":[{"role":"user","content":[{"text":"hi"}]}]}"#, key: String? = "k") -> HTTPClientRequest {
        openAIRequest(url, json: json, key: key)
    }

    static func frames(_ bytes: ByteBuffer) throws -> [AWSEventStreamMessage] {
        var buffer = bytes
        var framer = AWSEventStreamFramer()
        var messages: [AWSEventStreamMessage] = []
        while let frame = try framer.decodeLast(buffer: &buffer, seenEOF: true) { messages.append(try AWSEventStreamMessage(decoding: frame)) }
        return messages
    }

    @Test("boto3's path is forwarded raw, and the short route puts the body's model id in the path")
    func urlShapes() async throws {
        let seen = Mutex<[String]>([])
        let bodies = Mutex<[String]>([])
        try await withUpstream({ router in
            router.post("/model/{id}/converse") { request, _ in
                seen.withLock { $0.append(request.uri.path) }
                let body = try await request.body.collect(upTo: 1 << 20)
                bodies.withLock { $0.append(String(buffer: body)) }
                return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
            }
        }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort, environment: ["ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:\(upstreamPort)"]) { proxy in
                try await withTestClient { client in
                    let arn = "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.amazon.nova-pro-v1%3A0/converse"
                    let first = try await client.execute(Self.converse("\(proxy)/v1/bedrock\(arn)"), timeout: .seconds(10))
                    #expect(first.status == .ok)
                    let short = #"{"modelId":"us.amazon.nova-pro-v1:0","messages":[]}"#
                    let second = try await client.execute(Self.converse("\(proxy)/v1/bedrock/converse", json: short), timeout: .seconds(10))
                    #expect(second.status == .ok)
                    #expect(seen.withLock { $0 } == [arn, "/model/us.amazon.nova-pro-v1%3A0/converse"])
                    // boto3's body byte for byte; the short shape's modelId moved into the URL.
                    #expect(bodies.withLock { $0 } == [#"{"messages":[{"role":"user","content":[{"text":"hi"}]}]}"#, #"{"messages":[]}"#])
                }
            }
        }
    }

    @Test("event-stream frames pass through byte for byte however the upstream chunks them", arguments: [1, 5, 13, 4096])
    func framesPassThrough(chunkSize: Int) async throws {
        let events = [
            AWSEventStreamMessage.event(type: "messageStart", payload: ByteBuffer(string: #"{"role":"assistant"}"#)),
            AWSEventStreamMessage.event(type: "contentBlockDelta", payload: ByteBuffer(string: #"{"contentBlockIndex":0,"delta":{"text":"Hi"}}"#)),
            AWSEventStreamMessage.event(type: "messageStop", payload: ByteBuffer(string: #"{"stopReason":"end_turn"}"#)),
        ]
        var stream = ByteBuffer()
        for event in events { try event.encode(into: &stream) }
        let bytes = Array(stream.readableBytesView)
        try await withUpstream({ router in
            router.post("/model/{id}/converse-stream") { _, _ in
                Response(status: .ok, headers: Self.eventStream, body: ResponseBody { writer in
                    for start in stride(from: 0, to: bytes.count, by: chunkSize) {
                        try await writer.write(ByteBuffer(bytes: bytes[start..<min(start + chunkSize, bytes.count)]))
                    }
                    try await writer.finish(nil)
                })
            }
        }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort, environment: ["ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:\(upstreamPort)"]) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(Self.converse("\(proxy)/v1/bedrock/model/m/converse-stream"), timeout: .seconds(10))
                    #expect(response.headers.first(name: "content-type") == "application/vnd.amazon.eventstream")
                    #expect(Array(try await response.body.collect(upTo: 1 << 20).readableBytesView) == bytes)
                }
            }
        }
    }

    @Test("a mid-stream upstream failure ends the stream with an exception frame, never half a frame")
    func midStreamFailure() async throws {
        let first = try AWSEventStreamMessage.event(type: "messageStart", payload: ByteBuffer(string: #"{"role":"assistant"}"#)).encoded()
        try await withUpstream({ router in
            router.post("/model/{id}/converse-stream") { _, _ in
                Response(status: .ok, headers: Self.eventStream, body: ResponseBody { writer in
                    var partial = first
                    try await writer.write(first)
                    try await writer.write(partial.readSlice(length: 20) ?? ByteBuffer())
                    struct UpstreamCrashed: Error {}
                    throw UpstreamCrashed()
                })
            }
        }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort, environment: ["ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:\(upstreamPort)"]) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(Self.converse("\(proxy)/v1/bedrock/model/m/converse-stream"), timeout: .seconds(10))
                    let messages = try Self.frames(try await response.body.collect(upTo: 1 << 20))
                    #expect(messages.map(\.messageType) == ["event", "exception"])
                    #expect(messages.last?[header: ":exception-type"] == .string("internalServerException"))
                    let payload = String(buffer: messages.last?.payload ?? ByteBuffer())
                    #expect(payload.contains("upstream stream failed"))
                }
            }
        }
    }

    @Test("without ARCHESTRA_BEDROCK_BASE_URL the routes answer provider_not_configured in AWS's shape")
    func notConfigured() async throws {
        try await withUpstream({ _ in }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(Self.converse("\(proxy)/v1/bedrock/model/m/converse"), timeout: .seconds(10))
                    #expect(response.status.code == 503)
                    #expect(response.headers.first(name: "x-amzn-errortype") == "ServiceUnavailableException")
                    #expect(try await response.bodyText().contains("ARCHESTRA_BEDROCK_BASE_URL"))
                }
            }
        }
    }

    /// The Bedrock and AWS identity emulators in-process, with credentials living `lifetime` seconds.
    func withAWSEmulators<Value: Sendable>(credentialLifetime: Double, _ body: (_ bedrock: Int, _ identity: Int) async throws -> Value) async throws -> Value {
        try await withRunningServices({ report in
            [Application(router: BedrockEmulator.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { await report($0.localAddress?.port ?? 0) }, logger: Logger(label: "test.bedrock"))]
        }) { bedrock in
            try await withRunningServices({ report in
                [Application(router: AWSIdentityEmulator.makeRouter(credentialLifetime: credentialLifetime), configuration: .init(address: .hostname("127.0.0.1", port: 0)), onServerRunning: { await report($0.localAddress?.port ?? 0) }, logger: Logger(label: "test.identity"))]
            }) { identity in
                try await body(bedrock, identity)
            }
        }
    }

    @Test("IAM mode signs with short-lived container credentials, refreshed before each use once inside the refresh window")
    func iamShortLivedCredentials() async throws {
        try await withAWSEmulators(credentialLifetime: 120) { bedrock, identity in
            let environment = [
                "ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:\(bedrock)", "ARCHESTRA_BEDROCK_REGION": "us-east-1",
                "ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED": "true",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(identity)\(AWSIdentityEmulator.containerCredentialsPath)",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": AWSContainerCredentialsHandler.authorizationToken,
                // The in-process emulator shares two cores with the whole suite: give it time.
                "AWS_METADATA_SERVICE_TIMEOUT": "10",
            ]
            try await withProxy(upstreamPort: bedrock, environment: environment) { proxy in
                try await withTestClient { client in
                    for _ in 0..<3 {
                        let response = try await client.execute(Self.converse("\(proxy)/v1/bedrock/model/us.amazon.nova-pro-v1%3A0/converse", key: nil), timeout: .seconds(10))
                        let text = try await response.bodyText()
                        #expect(response.status == .ok, "\(text)")
                        #expect(text.contains("Echo: hi"))
                    }
                }
            }
        }
    }

    @Test("IAM mode through web identity: the token file is exchanged at the STS emulator")
    func iamWebIdentity() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bedrock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func part(_ json: String) -> String { Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_") }
        let token = part(#"{"alg":"RS256"}"#) + "." + part(#"{"sub":"system:serviceaccount:a:b","exp":\#(Int(Date().timeIntervalSince1970) + 3600)}"#) + ".sig\n"
        let tokenFile = directory.appendingPathComponent("token")
        try Data(token.utf8).write(to: tokenFile)
        try await withAWSEmulators(credentialLifetime: 3600) { bedrock, identity in
            let environment = [
                "ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:\(bedrock)", "ARCHESTRA_BEDROCK_REGION": "us-east-1",
                "ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED": "true", "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile.path,
                "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/r", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(identity)",
            ]
            try await withProxy(upstreamPort: bedrock, environment: environment) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(Self.converse("\(proxy)/v1/bedrock/model/m/converse-stream", key: nil), timeout: .seconds(10))
                    #expect(response.status == .ok)
                    let messages = try Self.frames(try await response.body.collect(upTo: 1 << 20))
                    #expect(messages.first?.eventType == "messageStart")
                    #expect(messages.last?.eventType == "metadata")
                }
            }
        }
    }

    @Test("usage from Converse and from the stream's metadata event goes into the request log, and no secret does")
    func usageIsLogged() async throws {
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "test.proxy", factory: { _ in logs })
        try await withAWSEmulators(credentialLifetime: 3600) { bedrock, _ in
            let environment = [
                "ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:\(bedrock)", "ARCHESTRA_BEDROCK_REGION": "us-east-1",
                "ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED": "true",
                "AWS_ACCESS_KEY_ID": AWSMockCredentialAuthority.accessKeyID, "AWS_SECRET_ACCESS_KEY": AWSMockCredentialAuthority.secretAccessKey,
            ]
            try await withProxy(upstreamPort: bedrock, environment: environment, logger: logger) { proxy in
                try await withTestClient { client in
                    let json = #"{"messages":[{"role":"user","content":[{"text":"one two three"}]}]}"#
                    for path in ["converse", "converse-stream"] {
                        let response = try await client.execute(Self.converse("\(proxy)/v1/bedrock/model/m/\(path)", json: json, key: nil), timeout: .seconds(10))
                        _ = try await response.body.collect(upTo: 1 << 20)
                    }
                }
            }
        }
        let lines = logs.entries.filter { $0.message == "proxied request" }
        #expect(lines.count == 2)
        for line in lines {
            #expect(line.metadata["usage.input_tokens"]?.description == "3")
            #expect(line.metadata["usage.output_tokens"]?.description == "4")
            #expect(line.metadata["archestra.credential"] == "workload_identity")
        }
        for entry in logs.entries {
            #expect(!"\(entry.message) \(entry.metadata)".contains(AWSMockCredentialAuthority.secretAccessKey))
        }
    }

    @Test("a corrupt or truncated upstream message becomes an exception frame after the good ones", arguments: ["corrupt", "truncated"])
    func malformedUpstreamMessage(kind: String) async throws {
        let good = try AWSEventStreamMessage.event(type: "messageStart", payload: ByteBuffer(string: #"{"role":"assistant"}"#)).encoded()
        var encoded = try AWSEventStreamMessage.event(type: "contentBlockDelta", payload: ByteBuffer(string: #"{"delta":{"text":"x"}}"#)).encoded()
        if kind == "corrupt" {
            encoded.setInteger(UInt32(0xDEAD_BEEF), at: encoded.writerIndex - 4)
        } else {
            encoded = encoded.getSlice(at: 0, length: encoded.readableBytes - 3) ?? ByteBuffer()
        }
        let bad = encoded
        try await withUpstream({ router in
            router.post("/model/{id}/converse-stream") { _, _ in
                Response(status: .ok, headers: Self.eventStream, body: ResponseBody { writer in
                    try await writer.write(good)
                    try await writer.write(bad)
                    try await writer.finish(nil)
                })
            }
        }) { upstreamPort in
            try await withProxy(upstreamPort: upstreamPort, environment: ["ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:\(upstreamPort)"]) { proxy in
                try await withTestClient { client in
                    let response = try await client.execute(Self.converse("\(proxy)/v1/bedrock/model/m/converse-stream"), timeout: .seconds(10))
                    let messages = try Self.frames(try await response.body.collect(upTo: 1 << 20))
                    #expect(messages.map(\.messageType) == ["event", "exception"])
                    let payload = String(buffer: messages.last?.payload ?? ByteBuffer())
                    #expect(payload.contains("malformed event-stream message"))
                }
            }
        }
    }
}
