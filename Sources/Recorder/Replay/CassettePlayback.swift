import Foundation

/// The play state of a set of cassettes: which interactions were served, and which one answers
/// the next request.
///
/// Interactions are tried in recorded order and each is served once, so repeated identical
/// requests get their recorded responses in order.
package actor CassettePlayback {
    private struct Entry {
        let cassetteIndex: Int
        let interactionIndex: Int
        let interaction: CassetteInteraction
        var played = false
    }

    private var entries: [Entry]
    private let matcher: CassetteMatcher
    private let redactor = CassetteRedactor()

    package init(cassettes: [Cassette], matcher: CassetteMatcher) {
        var entries: [Entry] = []
        for (cassetteIndex, cassette) in cassettes.enumerated() {
            for (interactionIndex, interaction) in cassette.interactions.enumerated()
            where (interaction.leg ?? .upstream) == .upstream {
                entries.append(Entry(cassetteIndex: cassetteIndex, interactionIndex: interactionIndex, interaction: interaction))
            }
        }
        self.entries = entries
        self.matcher = matcher
    }

    /// Marks the first unplayed interaction matching `request` as played and returns it.
    ///
    /// - Throws: ``CassetteMiss`` naming the nearest recorded request and the differences.
    package func claim(_ request: CassetteRequest) throws(CassetteMiss) -> CassetteInteraction {
        // Compared in redacted form, as the recording was stored: a live token in a body then
        // matches the recorded `<redacted>`, and no secret can reach the miss report.
        let request = self.redactor.redact(request)
        var nearest: (index: Int, differences: [CassetteDifference], distance: Int)?
        for index in self.entries.indices {
            let differences = self.matcher.differences(request, recorded: self.entries[index].interaction.request)
            if differences.isEmpty, !self.entries[index].played {
                self.entries[index].played = true
                return self.entries[index].interaction
            }
            let distance = self.matcher.distance(differences)
            // Prefer an unplayed near miss over an exact match that was already played.
            let rank = distance * 2 + (self.entries[index].played ? 1 : 0)
            if nearest.map({ rank < $0.distance }) ?? true {
                nearest = (index, differences, rank)
            }
        }
        let label = Self.label(request)
        guard let nearest else { throw CassetteMiss(request: label, nearest: nil, differences: []) }
        let entry = self.entries[nearest.index]
        throw CassetteMiss(
            request: label,
            nearest: Self.label(entry.interaction.request),
            nearestAlreadyPlayed: nearest.differences.isEmpty && entry.played,
            differences: nearest.differences
        )
    }

    /// Recorded interactions not yet served, in recorded order.
    package func unplayed() -> [CassetteUnplayedInteraction] {
        self.entries.filter { !$0.played }.map {
            CassetteUnplayedInteraction(
                cassetteIndex: $0.cassetteIndex,
                interactionIndex: $0.interactionIndex,
                method: $0.interaction.request.method,
                path: $0.interaction.request.path
            )
        }
    }

    private static func label(_ request: CassetteRequest) -> String {
        "\(request.method) \(request.path)"
    }
}
