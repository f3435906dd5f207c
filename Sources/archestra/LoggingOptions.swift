import ArgumentParser
import Logging

/// `--log-level`, shared by every long-running subcommand.
///
/// A wrapper rather than a conformance of `Logger.Level`: we own neither that type nor
/// `ExpressibleByArgument` (swift-nio's public-API rule).
struct LoggingOptions: ParsableArguments {
    enum Level: String, ExpressibleByArgument, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        var loggerLevel: Logger.Level { Logger.Level(rawValue: self.rawValue) ?? .info }
    }

    @Option(help: "Log level (env ARCHESTRA_LOG_LEVEL, default info).")
    var logLevel: Level?

    /// Bootstraps swift-log once for the process and returns the root logger.
    ///
    /// Logs go to standard error: standard output is for what scripts read (the endpoints `mock up`
    /// prints, the address `record` prints, `dev`'s banner).
    func makeLogger(label: String, environment: [String: String]) -> Logger {
        let level = self.logLevel ?? environment["ARCHESTRA_LOG_LEVEL"].flatMap(Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in LogfmtLogHandler(label: label, level: level.loggerLevel) }
        return Logger(label: label)
    }
}
