import Foundation
import Logging

/// One line per log event, `logfmt`-style: time, level, label, message, then `key=value` metadata.
///
/// Written because swift-log's `StreamLogHandler` formats its metadata every time metadata is
/// *set* — and Hummingbird sets a request id on every request's logger — so a proxy running at
/// `warning` still paid for formatting it never printed. This handler formats only what it logs.
struct LogfmtLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    private let label: String

    init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "\(Date.now.formatted(.iso8601)) \(event.level) \(self.label) \(Self.quoted(event.message.description))"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(Self.quoted(value.description))"
        }
        line += "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Values with spaces, quotes or `=` are quoted so each line stays machine-splittable.
    private static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
