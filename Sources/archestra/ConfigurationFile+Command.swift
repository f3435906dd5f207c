import ArgumentParser
import Foundation
import Proxy

extension ConfigurationFile {
    /// The file a subcommand's `--config` (else `ARCHESTRA_CONFIG_FILE`) names, and the process
    /// environment laid over it; a refused file is a usage error (exit 64) naming file, line and key.
    static func resolvedForCommand(flag: String?) throws -> (file: ConfigurationFile?, environment: [String: String]) {
        do {
            return try ConfigurationFile.resolve(flag: flag, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
