import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Recorder
import Testing
import TestSupport

/// The cassettes committed under `Cassettes/` load, and replay answers each recorded request
/// with the recorded bytes.
@Suite("Committed cassettes", .timeLimit(.minutes(1)))
struct CommittedCassetteTests {
    static let cassettesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Cassettes")

    static var files: [String] {
        let enumerator = FileManager.default.enumerator(atPath: Self.cassettesFolder.path)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".json") { files.append(Self.cassettesFolder.appendingPathComponent(relative).path) }
        }
        return files.sorted()
    }

    @Test("every converted OpenAI capture is committed with provenance and a NOTICE entry")
    func committed() throws {
        let openai = Self.files.filter { $0.contains("/openai/") }
        let notice = try String(contentsOf: Self.cassettesFolder.appendingPathComponent("NOTICE"), encoding: .utf8)
        var converted = 0
        for file in openai {
            let provenance = try Cassette.load(from: file).provenance
            let name = URL(fileURLWithPath: file).lastPathComponent
            // Emulator recordings are named so that nobody mistakes them for real traffic.
            if name.hasPrefix("emulator-") {
                #expect(provenance.kind == .recordedFromEmulator, "\(name)")
                continue
            }
            #expect(provenance.kind == .converted, "\(name)")
            converted += 1
            let repository = try #require(provenance.sourceRepository)
            #expect(provenance.license != nil)
            #expect(notice.contains(repository))
        }
        #expect(converted == 10)
    }

    @Test("replay answers every recorded request with its recorded bytes", arguments: Self.files)
    func replays(file: String) async throws {
        // Placeholders other recorders left are bound as `archestra cassette test` binds them.
        let bindings = try CassettePlaceholders.bindings(file: Self.cassettesFolder.appendingPathComponent("placeholder-bindings.txt").path)
        let cassette = CassettePlaceholders.bind(bindings, in: try Cassette.load(from: file))
        try await withRunningService({ onRunning in
            CassetteReplayServer(
                cassettes: [cassette],
                host: "127.0.0.1",
                port: 0,
                timing: .instant,
                matcher: CassetteMatcher(),
                logger: quietLogger,
                onServerRunning: onRunning
            )
        }) { port, server in
            try await withRawHTTPClient { client in
                // Replay serves the upstream leg; a two-leg cassette's client leg is checked by `cassette test`.
                for interaction in cassette.interactions(on: .upstream) {
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(interaction.request.path)")
                    request.method = HTTPMethod(rawValue: interaction.request.method)
                    if let body = interaction.request.body {
                        request.body = .bytes(ByteBuffer(bytes: body.bytes))
                    }
                    let response = try await client.execute(request, timeout: .seconds(30))
                    #expect(Int(response.status.code) == interaction.response.status)
                    var received = Data()
                    for try await chunk in response.body { received.append(contentsOf: chunk.readableBytesView) }
                    let expected = interaction.response.stream.map { $0.reduce(into: Data()) { $0.append($1.bytes) } }
                        ?? interaction.response.body?.bytes ?? Data()
                    #expect(received == expected)
                }
                #expect(await server.unplayedReport().isEmpty)
            }
        }
    }
}
