package import Foundation
import PostgresNIO

extension PostgresGatewayStore {
    /// One transaction per batch, one multi-row INSERT per up to 500 rows (PostgreSQL takes at
    /// most 65,535 bound values a statement; a row has 33).
    package func insertInteractions(_ interactions: [Interaction]) async throws {
        guard !interactions.isEmpty else { return }
        let chunks = stride(from: 0, to: interactions.count, by: 500).map { Array(interactions[$0..<min($0 + 500, interactions.count)]) }
        try await self.write(serialized: false) { db in
            for chunk in chunks {
                try await db.execute(PostgresInteractionRow.insert(chunk))
            }
        }
    }

    package func interactions(_ query: InteractionQuery) async throws -> [Interaction] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func bind(_ condition: (String) -> String, _ value: some PostgresNonThrowingEncodable & Sendable) {
            binds.append(value)
            conditions.append(condition("$\(binds.count)"))
        }
        if let profileID = query.profileID { bind({ "profile_id = \($0)" }, StoredID.text(profileID)) }
        if let virtualKeyID = query.virtualKeyID { bind({ "virtual_key_id = \($0)" }, StoredID.text(virtualKeyID)) }
        if let provider = query.provider { bind({ "provider = \($0)" }, provider) }
        if let model = query.model { bind({ "model = \($0)" }, model) }
        if let status = query.status { bind({ "status = \($0)" }, status) }
        if let since = query.since { bind({ "started_at >= \($0)" }, StoredTime.milliseconds(since)) }
        if let until = query.until { bind({ "started_at < \($0)" }, StoredTime.milliseconds(until)) }
        let order: String
        switch query.order {
        case .newestFirst(let before):
            if let before { bind({ "sequence < \($0)" }, before) }
            order = "sequence DESC"
        case .oldestFirst(let after):
            if let after { bind({ "sequence > \($0)" }, after) }
            order = "sequence ASC"
        }
        binds.append(max(0, query.limit))
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let columns = query.includeBodies ? "*" : InteractionRow.columnsWithoutBodies
        let statement = PostgresQuery(
            unsafeSQL: "SELECT \(columns) FROM interactions \(whereClause) ORDER BY \(order) LIMIT $\(binds.count)", binds: binds)
        let includeBodies = query.includeBodies
        return try await self.read { db in
            try await db.rows(statement).map { try PostgresInteractionRow.interaction(from: $0, includeBodies: includeBodies) }
        }
    }

    package func interaction(id: UUID) async throws -> Interaction? {
        try await self.read { db in
            try await db.rows("SELECT * FROM interactions WHERE id = \(StoredID.text(id))").first.map {
                try PostgresInteractionRow.interaction(from: $0, includeBodies: true)
            }
        }
    }

    package func deleteInteractions(startedBefore date: Date) async throws -> Int {
        let cutoff = StoredTime.milliseconds(date)
        return try await self.write(serialized: false) { db in
            try await db.count("DELETE FROM interactions WHERE started_at < \(cutoff) RETURNING 1")
        }
    }
}

/// The `interactions` table's mapping on PostgreSQL; the column list is SQLite's (``InteractionRow``).
enum PostgresInteractionRow {
    static let insertColumns = """
        id, started_at, profile_id, credential_kind, virtual_key_id, oauth_client_id, provider_key_id,
        provider, model, baseline_model, method, path, stream, status, error_code, total_us, upstream_us,
        first_message_us, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
        cost_usd, cache_cost_usd, savings_usd, blocked_tool_calls, request_bytes, response_bytes,
        request_body, request_body_truncated, response_body, response_body_truncated
        """
    static let columnCount = 33

    static func insert(_ interactions: [Interaction]) -> PostgresQuery {
        var binds = PostgresBindings(capacity: interactions.count * columnCount)
        var tuples: [String] = []
        for interaction in interactions {
            let first = binds.count + 1
            append(interaction, to: &binds)
            tuples.append("(" + (first..<(first + columnCount)).map { "$\($0)" }.joined(separator: ", ") + ")")
        }
        return PostgresQuery(unsafeSQL: "INSERT INTO interactions (\(insertColumns)) VALUES " + tuples.joined(separator: ", "), binds: binds)
    }

    private static func append(_ interaction: Interaction, to binds: inout PostgresBindings) {
        let blocked = interaction.blockedToolCallsJSON
        binds.append(StoredID.text(interaction.id))
        binds.append(StoredTime.milliseconds(interaction.startedAt))
        binds.append(interaction.profileID.map(StoredID.text))
        binds.append(interaction.credentialKind.rawValue)
        binds.append(interaction.virtualKeyID.map(StoredID.text))
        binds.append(interaction.oauthClientID.map(StoredID.text))
        binds.append(interaction.providerKeyID.map(StoredID.text))
        binds.append(interaction.provider)
        binds.append(interaction.model)
        binds.append(interaction.baselineModel)
        binds.append(interaction.method)
        binds.append(interaction.path)
        binds.append(interaction.isStreaming)
        binds.append(interaction.status.map(Int32.init(clamping:)))
        binds.append(interaction.errorCode)
        binds.append(interaction.timings.totalMicroseconds)
        binds.append(interaction.timings.upstreamMicroseconds)
        binds.append(interaction.timings.firstMessageMicroseconds)
        binds.append(interaction.tokens.input.map(Int64.init))
        binds.append(interaction.tokens.output.map(Int64.init))
        binds.append(interaction.tokens.cacheRead.map(Int64.init))
        binds.append(interaction.tokens.cacheWrite.map(Int64.init))
        binds.append(interaction.tokens.reasoning.map(Int64.init))
        binds.append(interaction.cost.map { StoredDecimal.text($0.total) })
        binds.append(interaction.cost.map { StoredDecimal.text($0.cache) })
        binds.append(interaction.cost.map { StoredDecimal.text($0.savings) })
        binds.append(blocked)
        binds.append(Int64(interaction.requestBytes))
        binds.append(Int64(interaction.responseBytes))
        binds.append(interaction.bodies?.request)
        binds.append(interaction.bodies?.requestTruncated ?? false)
        binds.append(interaction.bodies?.response)
        binds.append(interaction.bodies?.responseTruncated ?? false)
    }

    static func interaction(from row: StoredRow, includeBodies: Bool) throws -> Interaction {
        let blocked = (try? JSONDecoder().decode([String].self, from: Data(try row.string("blocked_tool_calls").utf8))) ?? []
        var cost: InteractionCost?
        if let total = StoredDecimal.decimal(try row.optionalString("cost_usd")) {
            cost = InteractionCost(
                total: total, cache: StoredDecimal.decimal(try row.optionalString("cache_cost_usd")) ?? 0,
                savings: StoredDecimal.decimal(try row.optionalString("savings_usd")) ?? 0)
        }
        var bodies: InteractionBodies?
        if includeBodies {
            let request = try row.optionalString("request_body")
            let response = try row.optionalString("response_body")
            if request != nil || response != nil {
                bodies = InteractionBodies(
                    request: request, requestTruncated: try row.bool("request_body_truncated"),
                    response: response, responseTruncated: try row.bool("response_body_truncated"))
            }
        }
        func int(_ column: String) throws -> Int? { try row.optionalInt64(column).map { Int($0) } }
        var interaction = Interaction(
            id: try row.id("id"),
            startedAt: try row.date("started_at"),
            profileID: try row.optionalID("profile_id"),
            credentialKind: InteractionCredentialKind(rawValue: try row.string("credential_kind")) ?? .none,
            virtualKeyID: try row.optionalID("virtual_key_id"),
            oauthClientID: try row.optionalID("oauth_client_id"),
            providerKeyID: try row.optionalID("provider_key_id"),
            provider: try row.optionalString("provider"),
            model: try row.optionalString("model"),
            baselineModel: try row.optionalString("baseline_model"),
            method: try row.string("method"),
            path: try row.string("path"),
            isStreaming: try row.bool("stream"),
            status: try row.value("status", as: Int32?.self).map { Int($0) },
            errorCode: try row.optionalString("error_code"),
            timings: InteractionTimings(
                totalMicroseconds: try row.optionalInt64("total_us"), upstreamMicroseconds: try row.optionalInt64("upstream_us"),
                firstMessageMicroseconds: try row.optionalInt64("first_message_us")),
            tokens: InteractionTokens(
                input: try int("input_tokens"), output: try int("output_tokens"), cacheRead: try int("cache_read_tokens"),
                cacheWrite: try int("cache_write_tokens"), reasoning: try int("reasoning_tokens")),
            cost: cost,
            blockedToolCalls: blocked,
            requestBytes: Int(try row.int64("request_bytes")),
            responseBytes: Int(try row.int64("response_bytes")),
            bodies: bodies
        )
        interaction.sequence = try row.int64("sequence")
        return interaction
    }
}
