import Foundation
import Gateway
import Testing

@Suite("the interaction log in the store")
struct InteractionStoreTests {
    static let base = Date(timeIntervalSince1970: 1_800_000_000)

    static func sample(_ index: Int, profile: UUID? = nil, provider: String = "openai", model: String = "gpt-4o", status: Int = 200) -> Interaction {
        Interaction(
            startedAt: base.addingTimeInterval(TimeInterval(index)), profileID: profile, credentialKind: .virtualKey,
            virtualKeyID: UUID(), provider: provider, model: model, method: "POST", path: "/chat/completions",
            status: status, timings: InteractionTimings(totalMicroseconds: 1_500, upstreamMicroseconds: 1_000, firstMessageMicroseconds: 800),
            tokens: InteractionTokens(input: 10 + index, output: 5)
        )
    }

    @Test("a row round-trips every field, bodies only when asked for", arguments: StoreKind.allCases)
    func roundTrip(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let interaction = Interaction(
            startedAt: StoredDate.normalized(Date()), profileID: UUID(), credentialKind: .oauthClient, virtualKeyID: nil,
            oauthClientID: UUID(), providerKeyID: UUID(), provider: "anthropic", model: "claude-sonnet-4-5",
            baselineModel: "claude-opus-4-1", method: "POST", path: "/v1/messages", isStreaming: true, status: 200,
            errorCode: "client_disconnected",
            timings: InteractionTimings(totalMicroseconds: 123_456, upstreamMicroseconds: 100_000, firstMessageMicroseconds: 4_321),
            tokens: InteractionTokens(input: 11, output: 22, cacheRead: 33, cacheWrite: 44, reasoning: 55),
            cost: InteractionCost(total: Decimal(string: "0.0000015")!, cache: Decimal(string: "0.0000005")!, savings: Decimal(string: "0.25")!),
            blockedToolCalls: ["delete_repo", "send_email"], requestBytes: 100, responseBytes: 2_000,
            bodies: InteractionBodies(request: "{\"a\":1}", requestTruncated: false, response: "data: x", responseTruncated: true)
        )
        try await store.insertInteractions([interaction])

        let read = try #require(try await store.interaction(id: interaction.id))
        #expect(read.sequence > 0)
        var expected = interaction
        expected.sequence = read.sequence
        #expect(read == expected)
        #expect(read.cost?.total == Decimal(string: "0.0000015"))

        let listed = try await store.interactions(InteractionQuery())
        #expect(listed.count == 1)
        #expect(listed.first?.bodies == nil)
        expected.bodies = nil
        #expect(listed.first == expected)
        #expect(try await store.interaction(id: UUID()) == nil)
    }

    @Test("filters narrow the list; newest first by default", arguments: StoreKind.allCases)
    func filters(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let profile = UUID()
        let rows = [
            Self.sample(0, profile: profile),
            Self.sample(1, provider: "anthropic", model: "claude"),
            Self.sample(2, profile: profile, status: 502),
            Self.sample(3, provider: "gemini", model: "gemini-2.5-pro"),
        ]
        try await store.insertInteractions(rows)

        #expect(try await store.interactions(InteractionQuery()).map(\.id) == rows.reversed().map(\.id))
        #expect(try await store.interactions(InteractionQuery(profileID: profile)).map(\.id) == [rows[2].id, rows[0].id])
        #expect(try await store.interactions(InteractionQuery(virtualKeyID: rows[1].virtualKeyID)).map(\.id) == [rows[1].id])
        #expect(try await store.interactions(InteractionQuery(provider: "anthropic")).map(\.id) == [rows[1].id])
        #expect(try await store.interactions(InteractionQuery(model: "gemini-2.5-pro")).map(\.id) == [rows[3].id])
        #expect(try await store.interactions(InteractionQuery(status: 502)).map(\.id) == [rows[2].id])
        let window = InteractionQuery(since: Self.base.addingTimeInterval(1), until: Self.base.addingTimeInterval(3))
        #expect(try await store.interactions(window).map(\.id) == [rows[2].id, rows[1].id])
        #expect(try await store.interactions(InteractionQuery(profileID: profile, status: 200)).map(\.id) == [rows[0].id])
    }

    @Test("keyset pages cover every row once, both ways, and new rows do not shift a page", arguments: StoreKind.allCases)
    func pagination(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let rows = (0..<7).map { Self.sample($0) }
        try await store.insertInteractions(Array(rows.prefix(4)))
        try await store.insertInteractions(Array(rows.dropFirst(4)))

        var seen: [UUID] = []
        var cursor: Int64?
        repeat {
            let page = try await store.interactions(InteractionQuery(order: .newestFirst(before: cursor), limit: 3))
            seen += page.map(\.id)
            cursor = page.count == 3 ? page.last?.sequence : nil
            // A row logged while paging lands before the first page, never inside a later one.
            if seen.count == 3 { try await store.insertInteractions([Self.sample(99)]) }
        } while cursor != nil
        #expect(seen == rows.reversed().map(\.id))

        let first = try await store.interactions(InteractionQuery(order: .oldestFirst(after: nil), limit: 2))
        #expect(first.map(\.id) == [rows[0].id, rows[1].id])
        let next = try await store.interactions(InteractionQuery(order: .oldestFirst(after: first.last?.sequence), limit: 100))
        #expect(next.count == 6)
        #expect(next.first?.id == rows[2].id)
    }

    @Test("pruning removes rows that started before the cutoff, and sequences never come back", arguments: StoreKind.allCases)
    func prune(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let store = opened.store
        let rows = (0..<5).map { Self.sample($0) }
        try await store.insertInteractions(rows)
        let highest = try #require(try await store.interactions(InteractionQuery(limit: 1)).first?.sequence)

        #expect(try await store.deleteInteractions(startedBefore: Self.base.addingTimeInterval(3)) == 3)
        #expect(try await store.interactions(InteractionQuery()).map(\.id) == [rows[4].id, rows[3].id])
        #expect(try await store.deleteInteractions(startedBefore: Self.base.addingTimeInterval(100)) == 2)
        #expect(try await store.interactions(InteractionQuery()).isEmpty)

        try await store.insertInteractions([Self.sample(10)])
        #expect(try #require(try await store.interactions(InteractionQuery()).first?.sequence) > highest)
    }

    @Test("writing the log leaves the revision alone", arguments: StoreKind.allCases)
    func revisionUntouched(kind: StoreKind) async throws {
        let opened = try await TestStores.open(kind)
        defer { opened.close() }
        let before = try await opened.store.revision()
        try await opened.store.insertInteractions([Self.sample(0)])
        _ = try await opened.store.deleteInteractions(startedBefore: Date.distantFuture)
        #expect(try await opened.store.revision() == before)
    }
}

/// Dates as the store keeps them (whole milliseconds), so a round trip compares equal.
enum StoredDate {
    static func normalized(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
