import CassetteTesting
import Foundation
import Recorder
import Testing

/// Every committed cassette of a provider the proxy serves, replayed through `archestra serve`:
/// the client must get exactly what the upstream sent, and the proxy must send the upstream
/// every recorded request.
@Suite("Committed cassettes replay through archestra serve", .timeLimit(.minutes(2)))
struct CommittedCassetteReplayTests {
    @Test("the cassettes of every provider the proxy serves are found")
    func discoversProviderCassettes() throws {
        let folders = CommittedCassettes.providerFolders()
        #expect(folders.contains("openai"))
        let files = CommittedCassettes.files()
        for folder in folders {
            #expect(files.contains { $0.provider == folder }, "Cassettes/\(folder)/ holds no cassette")
        }
    }

    @Test(
        "a committed cassette replays through the proxy with the recorded status, headers, bytes and events",
        arguments: CommittedCassettes.files()
    )
    func replaysThroughProxy(_ file: CommittedCassetteFile) async throws {
        // The runner `archestra cassette test` uses: one comparison for CI and for this suite.
        let result = await CassetteTestRunner.test(file: file.url.path, bindings: try CommittedCassettes.placeholderBindings())
        #expect(result.provider == file.provider)
        #expect(result.interactions > 0, "\(file.relativePath) has no upstream interaction")
        for failure in result.failures {
            Issue.record("\(file.relativePath) \(failure)")
        }
    }

    @Test("the runner reports what it could not replay, and a file that is not a cassette")
    func reportsFailures() async throws {
        let file = try #require(CommittedCassettes.files().first { $0.relativePath.hasPrefix("openai/") })
        var cassette = try Cassette.load(from: file.url.path)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cassette-test-\(UUID().uuidString)/openai")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }

        // A recorded upstream request outside OpenAI's base path: no client request through
        // /v1/openai reaches it, so it fails to map and is never sent upstream.
        var outside = cassette.interactions[0]
        outside.request.path = "/elsewhere/chat"
        cassette.interactions.append(outside)
        let path = directory.appendingPathComponent("edited.json").path
        try cassette.write(to: path)
        let result = await CassetteTestRunner.test(file: path)
        let index = cassette.interactions.count - 1
        #expect(result.provider == "openai")
        #expect(result.interactions == cassette.interactions.count)
        #expect(result.failures.contains("#\(index) \(outside.request.method) /elsewhere/chat: recorded path /elsewhere/chat is not below the provider's base path /v1"))
        #expect(result.failures.contains { $0.hasPrefix("never sent upstream:") && $0.contains("/elsewhere/chat") })
        #expect(result.failures.count == 2)

        let notACassette = directory.appendingPathComponent("broken.json").path
        try Data("{\"version\": 1}".utf8).write(to: URL(fileURLWithPath: notACassette))
        let broken = await CassetteTestRunner.test(file: notACassette)
        #expect(broken.failures.count == 1)
        #expect(broken.failures.first?.hasPrefix("not a cassette:") == true)
    }

    @Test("the comparison names each difference: status, a relevant header, body bytes, events")
    func comparison() {
        let headers = [CassetteHeader("content-type", "text/event-stream"), CassetteHeader("x-request-id", "req_1")]
        let recorded = ObservedResponse(status: 200, headers: headers, body: Data("data: {\"a\":1}\n\ndata: [DONE]\n\n".utf8))
        #expect(recorded.differences(from: recorded) == [])
        let received = ObservedResponse(
            status: 502, headers: [CassetteHeader("content-type", "text/event-stream"), CassetteHeader("x-request-id", "req_2")],
            body: Data("data: {\"a\":2}\n\ndata: [DONE]\n\n".utf8))
        let differences = received.differences(from: recorded)
        #expect(differences.count == 4)
        #expect(differences[0].hasPrefix("status 502, recorded 200"))
        #expect(differences[1] == #"header x-request-id: ["req_2"], recorded ["req_1"]"#)
        #expect(differences[2].hasPrefix("body differs: received 29 bytes, recorded 29; first difference at byte 11"))
        #expect(differences[3].hasPrefix("event 0 differs"))
    }
}

@Suite("JUnit report of cassette results")
struct CassetteJUnitReportTests {
    @Test("one test case per cassette; failures escaped, with the first as the message")
    func report() {
        let results = [
            CassetteTestResult(file: "Cassettes/openai/a.json", provider: "openai", interactions: 1, failures: [], duration: .milliseconds(120)),
            CassetteTestResult(
                file: "Cassettes/openai/b&c.json", provider: "openai", interactions: 2,
                failures: [##"#0 POST /v1/x: status 500, recorded 200; body: {"a":"<b>"}"##, "never sent upstream: \u{01}"], duration: .seconds(1)),
        ]
        let xml = CassetteJUnitReport.xml(for: results)
        #expect(xml.contains(#"<testsuites tests="2" failures="1" time="1.120">"#))
        #expect(xml.contains(#"<testcase classname="openai" name="Cassettes/openai/a.json" time="0.120"/>"#))
        #expect(xml.contains(#"name="Cassettes/openai/b&amp;c.json""#))
        #expect(xml.contains(##"<failure message="#0 POST /v1/x: status 500, recorded 200; body: {&quot;a&quot;:&quot;&lt;b&gt;&quot;}">"##))
        #expect(xml.contains(#"never sent upstream: \u{1}</failure>"#))
    }
}
