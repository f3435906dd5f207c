import Foundation
import Proxy
import Synchronization
import Testing
import WireFormats

/// The AWS credential cache and chain: refresh before expiry, one refresh at a time, the chain's
/// order, and the region rule.
@Suite(.timeLimit(.minutes(1)))
struct BedrockCredentialTests {
    /// A provider that counts its fetches and hands out credentials expiring `lifetime` after the
    /// test's clock.
    final class CountingProvider: AWSCredentialProvider {
        let fetches = Mutex(0)
        let clock: TestClock
        let lifetime: TimeInterval
        let gate: AsyncStream<Void>?
        var sourceName: String { "test source" }

        init(clock: TestClock, lifetime: TimeInterval, gate: AsyncStream<Void>? = nil) {
            self.clock = clock
            self.lifetime = lifetime
            self.gate = gate
        }

        func fetch() async throws(ProxyError) -> SigV4Credentials {
            let count = self.fetches.withLock { value in
                value += 1
                return value
            }
            if let gate {
                var iterator = gate.makeAsyncIterator()
                _ = await iterator.next()
            }
            return SigV4Credentials(accessKeyID: "ASIA\(count)", secretAccessKey: "s", sessionToken: "t", expiration: self.clock.now().addingTimeInterval(self.lifetime))
        }
    }

    final class TestClock: Sendable {
        let offset = Mutex<TimeInterval>(0)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        func now() -> Date { self.start.addingTimeInterval(self.offset.withLock { $0 }) }
        func advance(by seconds: TimeInterval) { self.offset.withLock { $0 += seconds } }
    }

    @Test("credentials are reused until they enter the refresh window, then refreshed before they expire")
    func refreshBeforeExpiry() async throws {
        let clock = TestClock()
        let provider = CountingProvider(clock: clock, lifetime: 600)
        let cache = AWSCredentialCache(provider: provider, refreshWindow: 300, now: { clock.now() })
        #expect(try await cache.credentials().accessKeyID == "ASIA1")
        clock.advance(by: 200)  // 400 s left: still outside the window
        #expect(try await cache.credentials().accessKeyID == "ASIA1")
        clock.advance(by: 150)  // 250 s left: refreshed although still valid
        #expect(try await cache.credentials().accessKeyID == "ASIA2")
        #expect(provider.fetches.withLock { $0 } == 2)
    }

    @Test("concurrent requests share one refresh")
    func singleFlight() async throws {
        let clock = TestClock()
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let provider = CountingProvider(clock: clock, lifetime: 3600, gate: gate)
        let cache = AWSCredentialCache(provider: provider, refreshWindow: 300, now: { clock.now() })
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.credentials().accessKeyID } }
            open.yield()
            open.finish()
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(keys) == ["ASIA1"])
        #expect(provider.fetches.withLock { $0 } == 1)
    }

    struct FailingProvider: AWSCredentialProvider {
        var sourceName: String { "web identity (STS AssumeRoleWithWebIdentity)" }
        func fetch() async throws(ProxyError) -> SigV4Credentials {
            throw .upstreamCredentialsUnavailable(source: self.sourceName, reason: "STS answered 403 AccessDenied")
        }
    }

    @Test("a failed fetch is a 502 naming the source")
    func failureNamesSource() async throws {
        let cache = AWSCredentialCache(provider: FailingProvider())
        let error = await #expect(throws: ProxyError.self) { try await cache.credentials() }
        #expect(error?.status.code == 502)
        #expect(error?.message.contains("web identity (STS AssumeRoleWithWebIdentity)") == true)
    }

    @Test("the chain takes sources in the standard order", arguments: [
        (["AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "s", "AWS_WEB_IDENTITY_TOKEN_FILE": "/t", "AWS_ROLE_ARN": "arn"], "environment variables (AWS_ACCESS_KEY_ID)"),
        (["AWS_WEB_IDENTITY_TOKEN_FILE": "/t", "AWS_ROLE_ARN": "arn", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/c"], "web identity (STS AssumeRoleWithWebIdentity)"),
        (["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"], "container credentials (AWS_CONTAINER_CREDENTIALS_*_URI)"),
        ([:], "EC2 instance metadata (IMDSv2)"),
    ])
    func chainOrder(environment: [String: String], expected: String) throws {
        var environment = environment
        environment["ARCHESTRA_BEDROCK_BASE_URL"] = "https://bedrock-runtime.eu-west-1.amazonaws.com"
        environment["ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED"] = "true"
        let configuration = try ProxyConfiguration(environment: environment)
        #expect(try #require(configuration.provider(id: "bedrock")).authorizer is SigV4Authorizer)
        let provider = try AWSCredentialChain.provider(from: ProviderEnvironment(values: environment, baseURL: nil))
        #expect(provider.sourceName == expected)
    }

    @Test("IAM mode with no source and metadata disabled fails at start-up, naming the variable")
    func noSource() {
        #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration(environment: [
                "ARCHESTRA_BEDROCK_BASE_URL": "https://bedrock-runtime.us-east-1.amazonaws.com",
                "ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED": "true", "AWS_EC2_METADATA_DISABLED": "true",
            ])
        }
    }

    @Test("the region comes from ARCHESTRA_BEDROCK_REGION, else from the base URL")
    func region() throws {
        #expect(BedrockRegion.region(inBaseURL: "https://bedrock-runtime.eu-central-1.amazonaws.com") == "eu-central-1")
        #expect(BedrockRegion.region(inBaseURL: "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com") == "us-gov-west-1")
        #expect(BedrockRegion.region(inBaseURL: "http://127.0.0.1:9101") == nil)
        #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration(environment: ["ARCHESTRA_BEDROCK_BASE_URL": "http://127.0.0.1:9101", "ARCHESTRA_BEDROCK_IAM_AUTH_ENABLED": "true", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
        }
    }
}
