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
        let cassette = try Cassette.load(from: file.url.path)
        let provider = try ProxiedProvider(id: file.provider)
        let interactions = cassette.interactions.filter { ($0.leg ?? .upstream) == .upstream }
        try #require(!interactions.isEmpty, "\(file.relativePath) has no upstream interaction")

        let (_, unplayed) = try await withProxyInFrontOfReplay(cassettes: [cassette], provider: provider) { proxy in
            for (index, interaction) in interactions.enumerated() {
                let received = try await proxy.send(ClientRequest(replaying: interaction.request))
                expectSameResponse(
                    received,
                    as: ObservedResponse(recorded: interaction.response),
                    "\(file.relativePath) #\(index) \(interaction.request.method) \(interaction.request.path)"
                )
            }
        }
        #expect(unplayed.isEmpty, "unplayed: \(unplayed.map(\.description))")
    }
}
