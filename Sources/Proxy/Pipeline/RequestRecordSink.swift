/// Something that wants every proxied request's ``RequestLogRecord`` once its response has ended:
/// the interaction log, metrics, cost accounting, traces.
///
/// Called on the request's own task, after the response's last byte (or its failure): an
/// implementation must not block nor suspend. Anything slow (a database write, an export) is
/// queued and done elsewhere, and dropped, counted, when the queue is full, so that a slow
/// consumer never slows a request.
package protocol RequestRecordSink: Sendable {
    func requestEnded(_ record: RequestLogRecord)
}
