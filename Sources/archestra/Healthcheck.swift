import ArgumentParser
import Foundation
import Proxy

/// `archestra healthcheck`: exits 0 when the local proxy's `/healthz` answers 200, 1 otherwise.
///
/// For `HEALTHCHECK` in the container image, which has no curl: it resolves the address as `serve`
/// does (file, then environment, then flags), so the same `--config`, `ARCHESTRA_*` and flags point
/// both at one port.
struct Healthcheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that the local proxy answers GET /healthz (exit 0), for container health checks."
    )

    @Option(help: "YAML configuration file, as for serve (env ARCHESTRA_CONFIG_FILE).")
    var config: String?

    @Option(help: "Address the proxy listens on (env ARCHESTRA_HOST; 0.0.0.0 is probed on 127.0.0.1).")
    var host: String?

    @Option(help: "Port the proxy listens on (env ARCHESTRA_PORT, default 9000).")
    var port: Int?

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Int = 5

    func validate() throws {
        guard (1...300).contains(self.timeout) else { throw ValidationError("--timeout must be 1...300 seconds") }
    }

    func run() async throws {
        let (file, environment) = try ConfigurationFile.resolvedForCommand(flag: self.config)
        let configuration: ProxyConfiguration
        do {
            configuration = try ProxyConfiguration(environment: environment, host: self.host, port: self.port)
        } catch {
            throw ValidationError(file?.locating(error, environment: ProcessInfo.processInfo.environment)?.description ?? error.description)
        }
        do {
            try await HealthProbe.check(configuration, timeout: .seconds(self.timeout))
        } catch {
            FileHandle.standardError.write(Data("unhealthy: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
        print("healthy: \(HealthProbe.url(for: configuration))")
    }
}
