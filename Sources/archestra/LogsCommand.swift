import AdminAPI
import ArgumentParser
import Foundation
import Gateway

/// `archestra logs`: the interaction log, read straight from the store (like the other admin
/// commands, with or without a running server), as a table or as JSON lines.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print the interaction log: one line per proxied request, oldest first.",
        discussion: """
            Examples: archestra logs --since 1h; archestra logs --profile <id> --json; archestra logs --follow
            The table shows time (UTC), status, provider, model, tokens (input/output), cost (USD), latency and time to first token. \
            --json prints one JSON object per line, the admin API's fields (bodies are shown only by GET /api/interactions/{id}).
            """
    )

    @Option(help: "Only requests that started within this long (90s, 15m, 1h, 7d) or since this RFC 3339 time.")
    var since: SinceArgument?
    @Option(help: "Only requests served by this profile or LLM proxy (its id).")
    var profile: UUIDArgument?
    @Option(help: "At most this many rows (the newest), 1 to 1000.")
    var limit: Int = 50
    @Flag(help: "Keep printing new requests as they are logged, until interrupted (Ctrl-C).")
    var follow = false
    @Flag(help: "One JSON object per line instead of a table.")
    var json = false
    @OptionGroup var database: DatabaseOptions

    /// How often `--follow` looks for new rows.
    static let followInterval: Duration = .seconds(1)

    func validate() throws {
        guard (1...InteractionListRequest.maximumLimit).contains(self.limit) else {
            throw ValidationError("--limit must be from 1 to \(InteractionListRequest.maximumLimit)")
        }
    }

    func run() async throws {
        let administration = try await self.database.administration(environment: ProcessInfo.processInfo.environment)
        let store = administration.store
        var query = InteractionQuery(profileID: self.profile?.value, since: self.since?.date(now: Date()), limit: self.limit)
        let output = LogsOutput(json: self.json)
        let newest: [Interaction]
        do {
            newest = try await store.interactions(query)
        } catch let error as GatewayStoreError {
            throw AdminCommandError(message: error.description)
        }
        if !self.json { output.header() }
        for row in newest.reversed() { output.print(row) }
        guard self.follow else { return }
        var last = newest.first?.sequence
        if last == nil {
            // Nothing matched yet: follow from the newest row of any kind, not from the start of time.
            last = try await store.interactions(InteractionQuery(limit: 1)).first?.sequence ?? 0
        }
        query.limit = InteractionListRequest.maximumLimit
        while !Task.isCancelled {
            try await Task.sleep(for: Self.followInterval)
            query.order = .oldestFirst(after: last)
            let rows: [Interaction]
            do {
                rows = try await store.interactions(query)
            } catch let error as GatewayStoreError {
                // A busy or briefly unreadable database: say so once per failure and keep following.
                FileHandle.standardError.write(Data("archestra logs: \(error.description)\n".utf8))
                continue
            }
            for row in rows { output.print(row) }
            if let newestSequence = rows.last?.sequence { last = newestSequence }
        }
    }
}

/// `--since`: a duration back from now (`90s`, `15m`, `1h`, `7d`) or an RFC 3339 time.
struct SinceArgument: ExpressibleByArgument {
    enum Value {
        case ago(seconds: Int)
        case instant(Date)
    }

    let value: Value

    init?(argument: String) {
        if let duration = ExpiryDuration(argument: argument) {
            self.value = .ago(seconds: duration.seconds)
        } else if let date = RFC3339.date(from: argument) {
            self.value = .instant(date)
        } else {
            return nil
        }
    }

    func date(now: Date) -> Date {
        switch self.value {
        case .ago(let seconds): return now.addingTimeInterval(-TimeInterval(seconds))
        case .instant(let date): return date
        }
    }

}

/// Prints rows as a fixed-width table or as JSON lines, flushing each line so `--follow` output
/// reaches a pipe at once.
struct LogsOutput {
    let json: Bool

    static let columns: [(title: String, width: Int)] = [
        ("TIME", 23), ("STATUS", 6), ("PROVIDER", 12), ("MODEL", 28), ("TOKENS", 13), ("COST", 12), ("LATENCY", 9), ("TTFT", 9),
    ]

    func header() {
        self.write(Self.line(Self.columns.map(\.title)))
    }

    func print(_ row: Interaction) {
        if self.json {
            let encoder = AdminJSON.encoder()
            guard let data = try? encoder.encode(InteractionResource(row)) else { return }
            self.write(String(decoding: data, as: UTF8.self))
        } else {
            self.write(Self.line(Self.cells(row)))
        }
    }

    static func cells(_ row: Interaction) -> [String] {
        let time = RFC3339.string(from: row.startedAt).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
        var status = row.status.map(String.init) ?? "-"
        if row.errorCode == "client_disconnected" { status += "*" }
        let tokens = row.tokens.input == nil && row.tokens.output == nil ? "-" : "\(row.tokens.input ?? 0)/\(row.tokens.output ?? 0)"
        let cost = row.cost.map { "$\($0.total)" } ?? "-"
        return [
            time, status, row.provider ?? "-", row.model ?? "-", tokens, cost,
            Self.duration(row.timings.totalMicroseconds), Self.duration(row.timings.firstMessageMicroseconds),
        ]
    }

    /// `12ms`, `1.24s`; `-` when not measured.
    static func duration(_ microseconds: Int64?) -> String {
        guard let microseconds else { return "-" }
        if microseconds < 1_000_000 { return "\(microseconds / 1_000)ms" }
        return String(format: "%.2fs", Double(microseconds) / 1_000_000)
    }

    static func line(_ cells: [String]) -> String {
        zip(cells, Self.columns).map { cell, column in
            let text = cell.count > column.width ? String(cell.prefix(column.width - 1)) + "…" : cell
            return text.padding(toLength: column.width, withPad: " ", startingAt: 0)
        }.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    private func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
