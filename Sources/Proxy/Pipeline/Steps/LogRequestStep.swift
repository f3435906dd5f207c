package import Logging

/// The pipeline's last step, when a response has ended (streams included, aborted ones too): one
/// line per request on the request's logger, then the record to each ``RequestRecordSink`` (the
/// interaction log, metrics, cost accounting, traces), in the order given.
package struct LogRequestStep: Sendable {
    let sinks: [any RequestRecordSink]

    package init(sinks: [any RequestRecordSink] = []) {
        self.sinks = sinks
    }

    package func log(_ record: RequestLogRecord, to logger: Logger) {
        record.emit(to: logger)
        for sink in self.sinks {
            sink.requestEnded(record)
        }
    }
}
