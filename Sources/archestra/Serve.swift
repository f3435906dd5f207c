import ArgumentParser
import CassetteTesting
import Foundation
import Logging
import Proxy
import Recorder
import ServiceLifecycle

/// `archestra serve`: the production proxy.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the proxy between your AI applications and LLM providers.",
        discussion: "Routes: /v1/<provider>[/<profile-id>]/<native path>. Configuration comes from ARCHESTRA_* variables; flags win."
    )

    @Option(help: "Address to listen on (env ARCHESTRA_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free port (env ARCHESTRA_PORT, default 9000).")
    var port: Int?

    @OptionGroup var logging: LoggingOptions

    @Option(name: .customLong("record"), help: "Folder to write one two-leg cassette per request into: client↔proxy and proxy↔upstream, secrets redacted (env ARCHESTRA_RECORD_DIR).")
    var recordDirectory: String?

    @Flag(help: "Mark --record cassettes as recorded from our own emulators (archestra mock up), not a real API.")
    var recordFromEmulator = false

    @Option(help: "YAML file of settings named as the ARCHESTRA_* variables (env ARCHESTRA_CONFIG_FILE); variables and flags win over it.")
    var config: String?

    func run() async throws {
        // The configuration file, if any, is the lowest layer: the environment is laid over it.
        let (file, environment) = try ConfigurationFile.resolvedForCommand(flag: self.config)
        let configuration: ProxyConfiguration
        do {
            configuration = try ProxyConfiguration(environment: environment, host: self.host, port: self.port)
        } catch {
            throw ValidationError(file?.locating(error, environment: ProcessInfo.processInfo.environment)?.description ?? error.description)
        }
        let logger = self.logging.makeLogger(label: "archestra.serve", environment: environment)
        let gateway: GatewayRuntime
        do {
            gateway = try await GatewayRuntime.open(configuration: configuration, logger: logger)
        } catch {
            // Store errors name the problem and never a secret (a bad URL, a newer schema, an
            // unusable secret key).
            throw ValidationError("cannot open the gateway's database: \(error)")
        }
        var proxy = ProxyService(configuration: configuration, gateway: gateway, logger: logger) { port in
            logger.notice("proxy listening", metadata: ["address": "http://\(configuration.host):\(port)"])
        }
        var services: [any Service] = []
        // `--record`: the recorder runs before the proxy, so on shutdown it writes what the drained proxy queued.
        if let directory = self.recordDirectory ?? environment["ARCHESTRA_RECORD_DIR"].flatMap({ $0.isEmpty ? nil : $0 }) {
            do {
                let recorder = try TwoLegCassetteRecorder(directory: directory, kind: self.recordFromEmulator ? .recordedFromEmulator : .recorded, logger: logger)
                proxy.exchangeCaptureSink = recorder
                services.append(recorder)
                logger.notice("recording two-leg cassettes", metadata: ["archestra.record.directory": "\(directory)"])
            } catch {
                throw ValidationError("cannot record into \(directory): \(error)")
            }
        }
        try await ServiceGroupRunner.run(services + [proxy], gracePeriod: configuration.shutdownGracePeriod, logger: logger)
    }
}
