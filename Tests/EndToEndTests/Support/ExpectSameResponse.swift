import CassetteTesting
import Testing

/// Records each way `received` differs from what `expected` says a client gets
/// (``ObservedResponse/differences(from:)``, the comparison `archestra cassette test` makes) as
/// a test issue.
func expectSameResponse(
    _ received: ObservedResponse,
    as expected: ObservedResponse,
    _ exchange: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for difference in received.differences(from: expected) {
        Issue.record("\(exchange): \(difference)", sourceLocation: sourceLocation)
    }
}
