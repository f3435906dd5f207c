import Foundation
import Gateway

/// Adds each finished request's cost to the spending limits it counts for: streams, aborted
/// streams and upstream errors included, whatever usage they reported. Memory only
/// (``CostLedger/record(nanoUSD:virtualKeyID:profileID:model:at:)``); the ledger saves it.
struct SpendRecordingSink: RequestRecordSink {
    let ledger: CostLedger

    func requestEnded(_ record: RequestLogRecord) {
        guard let cost = record.cost else { return }
        self.ledger.record(
            nanoUSD: NanoUSD.from(cost.total), virtualKeyID: record.virtualKeyID, profileID: record.profileID, model: record.model)
    }
}
