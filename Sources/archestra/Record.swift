import ArgumentParser
import Foundation
import Logging
import Recorder

/// `archestra record`: a recording reverse proxy in front of one upstream.
struct Record: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forward requests to an upstream and record every exchange into a cassette.",
        discussion: """
            Point a client's base URL at the printed address. Each completed exchange is redacted \
            and the cassette rewritten atomically, so stopping with Ctrl-C loses nothing finished.
            """
    )

    @Option(help: "Upstream base URL, e.g. https://api.openai.com.") var upstream: String
    @Option(help: "Cassette file to write (replaced if it exists).") var cassette: String
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") var port: Int = 9200
    @Flag(help: "Mark the cassette as recorded from our own emulator rather than a real API.")
    var fromEmulator = false
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard let url = URL(string: self.upstream), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else {
            throw ValidationError("--upstream must be an http(s) URL with a host")
        }
    }

    func run() async throws {
        guard let upstreamURL = URL(string: self.upstream) else { throw ValidationError("--upstream is not a URL") }
        let logger = self.logging.makeLogger(label: "archestra.record", environment: ProcessInfo.processInfo.environment)
        let host = self.host
        let proxy = CassetteRecordingProxy(
            upstream: upstreamURL,
            cassettePath: self.cassette,
            host: host,
            port: self.port,
            provenanceKind: self.fromEmulator ? .recordedFromEmulator : .recorded,
            logger: logger,
            onServerRunning: { port in
                // Written unbuffered: scripts wait for this line to learn the port.
                FileHandle.standardOutput.write(Data("archestra record listening on http://\(host):\(port)\n".utf8))
            }
        )
        // Open streams get 10 s to drain on SIGTERM/SIGINT before they are cancelled.
        try await ServiceGroupRunner.run([proxy], gracePeriod: .seconds(10), logger: logger)
        let recorded = await proxy.cassette().interactions.count
        print("recorded \(recorded) interaction(s) into \(self.cassette)")
    }
}
