/// How the interaction log behaves (`ARCHESTRA_INTERACTION_*`), read once at start-up.
package struct InteractionLogSettings: Sendable, Equatable {
    /// Store request and response bodies, scrubbed of secrets (`ARCHESTRA_INTERACTION_LOG_BODIES`,
    /// default off). Off costs nothing on the request path: no body is copied.
    package var logsBodies: Bool
    /// Rows older than this many days are pruned (`ARCHESTRA_INTERACTION_RETENTION_DAYS`, default
    /// 30); `nil` (the variable set to 0) keeps them forever.
    package var retentionDays: Int?
    /// Bytes of each body kept (`ARCHESTRA_INTERACTION_BODY_LIMIT`, default 64 KiB); the rest is
    /// cut and the row says so.
    package var bodyLimitBytes: Int
    /// Records waiting to be written, at most (`ARCHESTRA_INTERACTION_BUFFER`, default 10 000):
    /// beyond it records are dropped and counted, never waited for.
    package var bufferCapacity: Int
    /// How often the writer takes what is queued to the store.
    package var flushInterval: Duration
    /// Most rows in one transaction.
    package var batchSize: Int
    /// How often old rows are pruned.
    package var pruneInterval: Duration

    package init(
        logsBodies: Bool = false, retentionDays: Int? = 30, bodyLimitBytes: Int = 64 * 1024, bufferCapacity: Int = 10_000,
        flushInterval: Duration = .milliseconds(250), batchSize: Int = 500, pruneInterval: Duration = .seconds(3600)
    ) {
        self.logsBodies = logsBodies
        self.retentionDays = retentionDays
        self.bodyLimitBytes = bodyLimitBytes
        self.bufferCapacity = bufferCapacity
        self.flushInterval = flushInterval
        self.batchSize = batchSize
        self.pruneInterval = pruneInterval
    }

    init(reader: EnvironmentReader) throws(ConfigurationError) {
        self.init()
        self.logsBodies = try reader.flag("ARCHESTRA_INTERACTION_LOG_BODIES")
        let days = try reader.integer("ARCHESTRA_INTERACTION_RETENTION_DAYS", in: 0...36_500) ?? 30
        self.retentionDays = days == 0 ? nil : days
        self.bodyLimitBytes = try reader.integer("ARCHESTRA_INTERACTION_BODY_LIMIT", in: 1_024...(16 * 1024 * 1024)) ?? self.bodyLimitBytes
        self.bufferCapacity = try reader.integer("ARCHESTRA_INTERACTION_BUFFER", in: 1...1_000_000) ?? self.bufferCapacity
    }
}
