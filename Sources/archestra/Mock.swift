import ArgumentParser
import Foundation
import Logging
import MockProviders

/// `archestra mock up`: the upstream emulators, for offline development.
struct Mock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "Run emulators of the upstream APIs.",
        subcommands: [Up.self]
    )
}

extension Mock {
    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start every emulator, each on its own port, until SIGTERM or SIGINT.",
            discussion: """
                Emulators take consecutive ports from --port in a fixed order (openai first); \
                --port 0 gives every emulator an ephemeral port. Once all listen, one line per \
                emulator is printed and --env-file (if given) is written atomically.
                """
        )

        @Option(help: "Address to listen on.")
        var host: String = "127.0.0.1"

        @Option(help: "First port; emulators take consecutive ports from here (0 = ephemeral ports).")
        var port: Int = 9100

        @Option(name: .customLong("env-file"), help: "Write `export NAME='value'` lines pointing SDKs and `archestra serve` at the emulators.")
        var envFile: String?

        @OptionGroup var logging: LoggingOptions

        func validate() throws {
            guard (0...65535).contains(self.port) else { throw ValidationError("--port must be between 0 and 65535") }
        }

        func run() async throws {
            let logger = self.logging.makeLogger(label: "archestra.mock", environment: ProcessInfo.processInfo.environment)
            let envFile = self.envFile
            if let envFile {
                // The mock CA's PEM lives next to the env file, which exports it as AWS_CA_BUNDLE.
                let directory = URL(fileURLWithPath: envFile).deletingLastPathComponent()
                try MockCertificateAuthority.writeFiles(into: directory)
            }
            let server = MockProviderServer(host: self.host, basePort: self.port, logger: logger) { endpoints in
                // The env file first, then stdout: a script that waits for our output line can
                // rely on the file being complete.
                if let envFile {
                    do {
                        var variables = MockEnvironment.variables(for: endpoints)
                        // The Google service-account key file also lives next to the env file; its
                        // token_uri names the token emulator's port, known only now.
                        if let google = endpoints.first(where: { $0.provider == GoogleIdentityEmulator.provider }) {
                            let directory = URL(fileURLWithPath: envFile).deletingLastPathComponent()
                            let keyFile = try GoogleMockIdentity.writeServiceAccountKeyFile(into: directory, tokenURI: google.baseURL + GoogleIdentityEmulator.tokenPath)
                            variables.append((name: "GOOGLE_APPLICATION_CREDENTIALS", value: keyFile))
                        }
                        try MockEnvironment.writeEnvFile(variables, to: envFile)
                    } catch {
                        logger.error("Could not write env file", metadata: ["archestra.env_file": "\(envFile)", "error": "\(error)"])
                    }
                }
                // One unbuffered write, so a reader on the other end of a pipe sees it now.
                let lines = endpoints.map { "\($0.provider) \($0.baseURL)\n" }.joined()
                FileHandle.standardOutput.write(Data(lines.utf8))
            }
            try await ServiceGroupRunner.run([server], gracePeriod: .seconds(10), logger: logger)
        }
    }
}
