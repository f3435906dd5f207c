package import Logging

/// The pipeline's last step: one line per request on the request's logger, when its response has
/// ended (streams included, aborted ones too). Later parts of the gateway — the interaction log,
/// metrics, cost accounting — hang off the same moment.
package struct LogRequestStep: Sendable {
    package init() {}

    package func log(_ record: RequestLogRecord, to logger: Logger) {
        record.emit(to: logger)
    }
}
