package import Logging

/// The pipeline's last step, when a response has ended (streams included, aborted ones too): one
/// line per request on the request's logger, then the record to each ``RequestRecordSink`` (the
/// interaction log, metrics, cost accounting, traces), in the order given.
package struct LogRequestStep: Sendable {
    let sinks: [any RequestRecordSink]
    /// Prices the record first, so that the log line and every sink see its cost.
    let pricing: RequestPricing?

    package init(sinks: [any RequestRecordSink] = [], pricing: RequestPricing? = nil) {
        self.sinks = sinks
        self.pricing = pricing
    }

    package func log(_ record: RequestLogRecord, to logger: Logger) {
        var record = record
        self.pricing?.price(&record)
        record.emit(to: logger)
        for sink in self.sinks {
            sink.requestEnded(record)
        }
    }
}
