import AsyncHTTPClient
import CassetteTesting
import Foundation
import Gateway
import MockProviders
import NIOCore
import Proxy
import Recorder
import TestSupport
import Testing
import WireFormats

/// `archestra serve --record`: a model-router request (OpenAI chat completions in, Anthropic
/// messages upstream) recorded through the proxy in front of the Anthropic emulator, both legs in
/// one cassette, which `archestra cassette test` then checks leg by leg.
@Suite("serve --record writes two-leg cassettes that cassette test checks", .timeLimit(.minutes(3)))
struct TwoLegRecordingTests {
    static let wholeBody = #"{"model":"anthropic:claude-haiku-4-5","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello"}],"max_tokens":64}"#
    static let streamBody =
        #"{"model":"anthropic:claude-haiku-4-5","messages":[{"role":"user","content":"Count to three"}],"max_tokens":64,"stream":true,"stream_options":{"include_usage":true}}"#

    struct Recording {
        var files: [String]
        /// What the client received for each request, in order.
        var received: [ObservedResponse]
        var virtualKey: String
    }

    /// Sends each body to `/v1/model-router/chat/completions` through `archestra serve` with a
    /// ``TwoLegCassetteRecorder`` installed, in front of the Anthropic emulator; returns the
    /// cassettes written (after the recorder has drained on shutdown).
    static func record(_ bodies: [String], into directory: String) async throws -> Recording {
        try await withRunningService({ report in
            EmulatorApplication.make(router: AnthropicEmulator.makeRouter(), host: "127.0.0.1", port: 0, logger: quietLogger, onListening: report)
        }) { emulatorPort, _ in
            let configuration = try ProxyConfiguration(
                environment: [
                    "ARCHESTRA_DATABASE_URL": "sqlite::memory:", "ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(emulatorPort)",
                    "ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS": "0",
                ], host: "127.0.0.1", port: 0)
            let gateway = try await GatewayRuntime.open(configuration: configuration, logger: quietLogger)
            let providerKey = try await gateway.store.createProviderKey(ProviderKeyDraft(provider: "anthropic", secret: Secret(AnthropicEmulator.apiKey)))
            let (_, virtualKey) = try await gateway.store.createVirtualKey(VirtualKeyDraft(providerKeyIDs: [providerKey.id]))
            let recorder = try TwoLegCassetteRecorder(directory: directory, kind: .recordedFromEmulator, logger: quietLogger)
            let received = try await withRunningServices({ report in
                var proxy = ProxyService(configuration: configuration, gateway: gateway, logger: quietLogger, onServerRunning: report)
                proxy.exchangeCaptureSink = recorder
                return [recorder, proxy]
            }) { proxyPort in
                try await withRawHTTPClient { client in
                    let proxy = TestClient(client: client, baseURL: "http://127.0.0.1:\(proxyPort)", mapPath: { $0 })
                    var received: [ObservedResponse] = []
                    for body in bodies {
                        let request = ClientRequest(
                            method: "POST", path: "/v1/model-router/chat/completions",
                            headers: [
                                CassetteHeader("Authorization", "Bearer \(virtualKey.exposedValue)"), CassetteHeader("Content-Type", "application/json"),
                                CassetteHeader("User-Agent", "archestra-two-leg-test/1"),
                            ],
                            body: body)
                        received.append(try await proxy.send(request))
                    }
                    return received
                }
            }
            #expect(recorder.droppedCount == 0)
            let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
                .map { (directory as NSString).appendingPathComponent($0) }
            return Recording(files: files, received: received, virtualKey: virtualKey.exposedValue)
        }
    }

    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("two-leg-\(UUID().uuidString)").path
    }

    @Test("each request becomes one cassette with the client leg and the translated upstream leg, frames and timing on both, no secret")
    func recordsBothLegs() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recording = try await Self.record([Self.wholeBody, Self.streamBody], into: directory)
        try #require(recording.files.count == 2)
        for (index, file) in recording.files.enumerated() {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(!text.contains(recording.virtualKey), "the virtual key reached \(file)")
            #expect(!text.contains(AnthropicEmulator.apiKey), "the provider key reached \(file)")
            let cassette = try Cassette.load(from: file)
            #expect(CassetteLinter().findings(in: cassette).isEmpty)
            #expect(cassette.isTwoLeg)
            #expect(cassette.provenance.kind == .recordedFromEmulator)
            #expect(cassette.provenance.provider == "anthropic")
            #expect(cassette.provenance.tool == TwoLegCassette.tool)
            let client = try #require(cassette.interactions(on: .client).first)
            let upstream = try #require(cassette.interactions(on: .upstream).first)
            #expect(cassette.interactions.count == 2)
            #expect(client.request.path == "/v1/model-router/chat/completions")
            #expect(client.request.headers.first(named: "authorization") == "Bearer <redacted>")
            #expect(client.request.body?.bytes == Data((index == 0 ? Self.wholeBody : Self.streamBody).utf8))
            // The translation: Anthropic's path, the native model, its own auth header and version.
            #expect(upstream.request.path == "/v1/messages")
            #expect(upstream.request.headers.first(named: "x-api-key") == "<redacted>")
            #expect(upstream.request.headers.first(named: "authorization") == nil)
            #expect(upstream.request.headers.first(named: "anthropic-version") == "2023-06-01")
            let upstreamBody = try JSONValue(parsing: try #require(upstream.request.body?.bytes))
            #expect(upstreamBody["model"]?.stringValue == "claude-haiku-4-5")
            #expect(client.durationMs != nil && upstream.durationMs != nil)
            // The client leg holds exactly what the client received.
            #expect(ObservedResponse(recorded: client.response).differences(from: recording.received[index]).isEmpty)
            if index == 1 {
                let clientFrames = try #require(client.response.stream)
                let upstreamFrames = try #require(upstream.response.stream)
                #expect(clientFrames.count > 2 && upstreamFrames.count > 2)
                #expect(String(decoding: upstreamFrames[0].bytes, as: UTF8.self).hasPrefix("event: message_start"))
                #expect(clientFrames.last.map { String(decoding: $0.bytes, as: UTF8.self) } == "data: [DONE]\n\n")
            } else {
                #expect(client.response.body != nil && upstream.response.body != nil)
            }
        }
    }

    @Test("a cassette serve --record wrote passes cassette test: the round trip checks both legs")
    func roundTrip() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recording = try await Self.record([Self.wholeBody, Self.streamBody], into: directory)
        try #require(recording.files.count == 2)
        for file in recording.files {
            let result = await CassetteTestRunner.test(file: file)
            #expect(result.provider == "anthropic")
            #expect(result.interactions == 2)
            #expect(result.failures.isEmpty, "\(result.failures)")
        }
    }

    @Test("a request the router refused itself is recorded with its client leg alone, and replays to the same refusal")
    func refusalWithoutUpstreamLeg() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recording = try await Self.record([#"{"model":"nosuchprovider:some-model","messages":[{"role":"user","content":"hi"}]}"#], into: directory)
        let file = try #require(recording.files.first)
        let cassette = try Cassette.load(from: file)
        #expect(cassette.interactions.map(\.leg) == [.client])
        let status = try #require(cassette.interactions.first?.response.status)
        #expect((400..<500).contains(status))
        let result = await CassetteTestRunner.test(file: file)
        #expect(result.failures.isEmpty, "\(result.failures)")
    }

    @Test("a wrong translation fails the upstream leg with a diff naming the field and the header")
    func tamperedUpstreamLegFails() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recording = try await Self.record([Self.streamBody], into: directory)
        let file = try #require(recording.files.first)
        var cassette = try Cassette.load(from: file)
        let upstreamIndex = try #require(cassette.interactions.firstIndex { $0.leg == .upstream })
        // The recording says the proxy sent max_tokens 65 and no anthropic-version: the proxy's
        // real translation (64, with the version) must now fail the check.
        var request = cassette.interactions[upstreamIndex].request
        let body = String(decoding: try #require(request.body?.bytes), as: UTF8.self)
        #expect(body.contains(#""max_tokens":64"#))
        request.body = CassetteBody(bytes: Data(body.replacingOccurrences(of: #""max_tokens":64"#, with: #""max_tokens":65"#).utf8))
        request.headers.removeAll { $0.name.lowercased() == "anthropic-version" }
        cassette.interactions[upstreamIndex].request = request
        let tampered = (directory as NSString).appendingPathComponent("tampered.json")
        try cassette.write(to: tampered)

        let result = await CassetteTestRunner.test(file: tampered)
        #expect(!result.passed)
        #expect(result.failures.contains { $0.contains("upstream leg") && $0.contains("body.max_tokens: sent 64, recorded 65") }, "\(result.failures)")
        #expect(result.failures.contains { $0.contains("upstream leg") && $0.contains("header anthropic-version added") }, "\(result.failures)")
        let junit = CassetteJUnitReport.xml(for: [result])
        #expect(junit.contains("body.max_tokens"))
    }

    @Test("a response translation that changed fails the client leg with the first differing event")
    func tamperedClientLegFails() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recording = try await Self.record([Self.streamBody], into: directory)
        let file = try #require(recording.files.first)
        var cassette = try Cassette.load(from: file)
        let clientIndex = try #require(cassette.interactions.firstIndex { $0.leg == .client })
        var frames = try #require(cassette.interactions[clientIndex].response.stream)
        frames[1] = CassetteFrame(offsetMs: frames[1].offsetMs, bytes: Data("data: {\"tampered\":true}\n\n".utf8))
        cassette.interactions[clientIndex].response.stream = frames
        let tampered = (directory as NSString).appendingPathComponent("tampered.json")
        try cassette.write(to: tampered)

        let result = await CassetteTestRunner.test(file: tampered)
        #expect(result.failures.contains { $0.contains("client leg: event 1 differs") }, "\(result.failures)")
        #expect(!result.failures.contains { $0.contains("upstream leg") }, "\(result.failures)")
    }
}

/// `archestra serve --record DIR` as an operator runs it: the flag, the recorder before the proxy
/// in the service group, and SIGTERM draining the proxy before the queue is written.
@Suite("archestra serve --record as a process", .timeLimit(.minutes(3)))
struct ServeRecordProcessTests {
    static let binary: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return ProcessInfo.processInfo.environment["ARCHESTRA_BIN"] ?? root.appendingPathComponent(".build/debug/archestra").path
    }()

    @Test("a provider-route request through serve --record leaves, after SIGTERM, one two-leg cassette without the key that passes cassette test")
    func recordsThroughTheBinary() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the binary first: swift build")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("serve-record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let recorded = work.appendingPathComponent("recorded").path
        let log = work.appendingPathComponent("serve.log").path
        try #require(FileManager.default.createFile(atPath: log, contents: nil))

        try await withRunningService({ report in
            EmulatorApplication.make(router: AnthropicEmulator.makeRouter(), host: "127.0.0.1", port: 0, logger: quietLogger, onListening: report)
        }) { emulatorPort, _ in
            let process = try ChildProcess(
                Self.binary, ["serve", "--port", "0", "--log-level", "notice", "--record", recorded],
                environment: [
                    "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                    "ARCHESTRA_DATABASE_URL": "sqlite::memory:", "ARCHESTRA_MODEL_LIST_SYNC_INTERVAL_SECONDS": "0",
                    "ARCHESTRA_ANTHROPIC_BASE_URL": "http://127.0.0.1:\(emulatorPort)",
                ],
                currentDirectory: work.path, standardOutput: log)
            defer { process.terminate() }
            // The proxy's own readiness line names its port (it was asked for port 0).
            var address: String?
            for _ in 0..<600 where address == nil {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                address = text.firstMatch(of: /proxy listening.*(http:\/\/127\.0\.0\.1:[0-9]+)/).map { String($0.output.1) }
                if address == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            let proxy = try #require(address, "serve never said it was listening")
            let answer = try await withRawHTTPClient { client in
                try await TestClient(client: client, baseURL: proxy, mapPath: { $0 }).send(
                    ClientRequest(
                        method: "POST", path: "/v1/anthropic/v1/messages",
                        headers: [
                            CassetteHeader("x-api-key", AnthropicEmulator.apiKey), CassetteHeader("anthropic-version", "2023-06-01"),
                            CassetteHeader("content-type", "application/json"),
                        ],
                        body: #"{"model":"claude-haiku-4-5","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"Say hello"}]}"#))
            }
            #expect(answer.status == 200)
            process.terminate()  // SIGTERM
            #expect(await process.wait() == .exited(0))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: recorded).filter { $0.hasSuffix(".json") }
        try #require(files.count == 1, "\(files)")
        let file = (recorded as NSString).appendingPathComponent(files[0])
        #expect(files[0].hasSuffix("-0001-v1-anthropic-v1-messages.json"))
        #expect(try !String(contentsOfFile: file, encoding: .utf8).contains(AnthropicEmulator.apiKey))
        let cassette = try Cassette.load(from: file)
        #expect(cassette.provenance.kind == .recorded)
        #expect(cassette.interactions.map(\.leg) == [.client, .upstream])
        #expect(CassetteLinter().findings(in: cassette).isEmpty)
        let result = await CassetteTestRunner.test(file: file)
        #expect(result.provider == "anthropic")
        #expect(result.failures.isEmpty, "\(result.failures)")
    }
}
