package import Foundation
import GRDB

extension SQLiteGatewayStore {
    /// One transaction per batch: the writer's whole point is that a thousand requests cost one
    /// commit (one fsync in WAL mode), not a thousand.
    package func insertInteractions(_ interactions: [Interaction]) async throws {
        guard !interactions.isEmpty else { return }
        try await self.write { db in
            let statement = try db.cachedStatement(sql: InteractionRow.insertSQL)
            for interaction in interactions {
                try statement.execute(arguments: InteractionRow.arguments(interaction))
            }
        }
    }

    package func interactions(_ query: InteractionQuery) async throws -> [Interaction] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let profileID = query.profileID {
            conditions.append("profile_id = ?")
            _ = arguments.append(contentsOf: [StoredID.text(profileID)])
        }
        if let virtualKeyID = query.virtualKeyID {
            conditions.append("virtual_key_id = ?")
            _ = arguments.append(contentsOf: [StoredID.text(virtualKeyID)])
        }
        if let provider = query.provider {
            conditions.append("provider = ?")
            _ = arguments.append(contentsOf: [provider])
        }
        if let model = query.model {
            conditions.append("model = ?")
            _ = arguments.append(contentsOf: [model])
        }
        if let status = query.status {
            conditions.append("status = ?")
            _ = arguments.append(contentsOf: [status])
        }
        if let since = query.since {
            conditions.append("started_at >= ?")
            _ = arguments.append(contentsOf: [StoredTime.milliseconds(since)])
        }
        if let until = query.until {
            conditions.append("started_at < ?")
            _ = arguments.append(contentsOf: [StoredTime.milliseconds(until)])
        }
        let order: String
        switch query.order {
        case .newestFirst(let before):
            if let before {
                conditions.append("sequence < ?")
                _ = arguments.append(contentsOf: [before])
            }
            order = "sequence DESC"
        case .oldestFirst(let after):
            if let after {
                conditions.append("sequence > ?")
                _ = arguments.append(contentsOf: [after])
            }
            order = "sequence ASC"
        }
        _ = arguments.append(contentsOf: [max(0, query.limit)])
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let columns = query.includeBodies ? "*" : InteractionRow.columnsWithoutBodies
        let sql = "SELECT \(columns) FROM interactions \(whereClause) ORDER BY \(order) LIMIT ?"
        let includeBodies = query.includeBodies
        let bound = arguments
        return try await self.read { db in
            try Row.fetchAll(db, sql: sql, arguments: bound).map { try InteractionRow.interaction(from: $0, includeBodies: includeBodies) }
        }
    }

    package func interaction(id: UUID) async throws -> Interaction? {
        try await self.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM interactions WHERE id = ?", arguments: [StoredID.text(id)])
                .map { try InteractionRow.interaction(from: $0, includeBodies: true) }
        }
    }

    package func deleteInteractions(startedBefore date: Date) async throws -> Int {
        let cutoff = StoredTime.milliseconds(date)
        return try await self.write { db in
            try db.execute(sql: "DELETE FROM interactions WHERE started_at < ?", arguments: [cutoff])
            return db.changesCount
        }
    }
}

/// The `interactions` table's mapping, in one place for writes and reads.
enum InteractionRow {
    static let columnsWithoutBodies = """
        sequence, id, started_at, profile_id, credential_kind, virtual_key_id, oauth_client_id, provider_key_id,
        provider, model, baseline_model, method, path, stream, status, error_code, total_us, upstream_us,
        first_message_us, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
        cost_usd, cache_cost_usd, savings_usd, blocked_tool_calls, request_bytes, response_bytes
        """

    static let insertSQL = """
        INSERT INTO interactions (
            id, started_at, profile_id, credential_kind, virtual_key_id, oauth_client_id, provider_key_id,
            provider, model, baseline_model, method, path, stream, status, error_code, total_us, upstream_us,
            first_message_us, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
            cost_usd, cache_cost_usd, savings_usd, blocked_tool_calls, request_bytes, response_bytes,
            request_body, request_body_truncated, response_body, response_body_truncated
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func arguments(_ interaction: Interaction) -> StatementArguments {
        let blocked = interaction.blockedToolCallsJSON
        let values: [(any DatabaseValueConvertible)?] = [
            StoredID.text(interaction.id),
            StoredTime.milliseconds(interaction.startedAt),
            interaction.profileID.map(StoredID.text),
            interaction.credentialKind.rawValue,
            interaction.virtualKeyID.map(StoredID.text),
            interaction.oauthClientID.map(StoredID.text),
            interaction.providerKeyID.map(StoredID.text),
            interaction.provider,
            interaction.model,
            interaction.baselineModel,
            interaction.method,
            interaction.path,
            interaction.isStreaming,
            interaction.status,
            interaction.errorCode,
            interaction.timings.totalMicroseconds,
            interaction.timings.upstreamMicroseconds,
            interaction.timings.firstMessageMicroseconds,
            interaction.tokens.input,
            interaction.tokens.output,
            interaction.tokens.cacheRead,
            interaction.tokens.cacheWrite,
            interaction.tokens.reasoning,
            interaction.cost.map { StoredDecimal.text($0.total) },
            interaction.cost.map { StoredDecimal.text($0.cache) },
            interaction.cost.map { StoredDecimal.text($0.savings) },
            blocked,
            interaction.requestBytes,
            interaction.responseBytes,
            interaction.bodies?.request,
            interaction.bodies?.requestTruncated ?? false,
            interaction.bodies?.response,
            interaction.bodies?.responseTruncated ?? false,
        ]
        return StatementArguments(values)
    }

    static func interaction(from row: Row, includeBodies: Bool) throws -> Interaction {
        let blockedText: String = row["blocked_tool_calls"]
        let blocked = (try? JSONDecoder().decode([String].self, from: Data(blockedText.utf8))) ?? []
        var cost: InteractionCost?
        if let total = StoredDecimal.decimal(row["cost_usd"]) {
            cost = InteractionCost(
                total: total, cache: StoredDecimal.decimal(row["cache_cost_usd"]) ?? 0, savings: StoredDecimal.decimal(row["savings_usd"]) ?? 0)
        }
        var bodies: InteractionBodies?
        if includeBodies {
            let request: String? = row["request_body"]
            let response: String? = row["response_body"]
            if request != nil || response != nil {
                bodies = InteractionBodies(
                    request: request, requestTruncated: row["request_body_truncated"],
                    response: response, responseTruncated: row["response_body_truncated"])
            }
        }
        var interaction = Interaction(
            id: try StoredID.uuid(row["id"]),
            startedAt: StoredTime.date(row["started_at"] as Int64),
            profileID: try (row["profile_id"] as String?).map { try StoredID.uuid($0) },
            credentialKind: InteractionCredentialKind(rawValue: row["credential_kind"]) ?? .none,
            virtualKeyID: try (row["virtual_key_id"] as String?).map { try StoredID.uuid($0) },
            oauthClientID: try (row["oauth_client_id"] as String?).map { try StoredID.uuid($0) },
            providerKeyID: try (row["provider_key_id"] as String?).map { try StoredID.uuid($0) },
            provider: row["provider"],
            model: row["model"],
            baselineModel: row["baseline_model"],
            method: row["method"],
            path: row["path"],
            isStreaming: row["stream"],
            status: row["status"],
            errorCode: row["error_code"],
            timings: InteractionTimings(
                totalMicroseconds: row["total_us"], upstreamMicroseconds: row["upstream_us"], firstMessageMicroseconds: row["first_message_us"]),
            tokens: InteractionTokens(
                input: row["input_tokens"], output: row["output_tokens"], cacheRead: row["cache_read_tokens"],
                cacheWrite: row["cache_write_tokens"], reasoning: row["reasoning_tokens"]),
            cost: cost,
            blockedToolCalls: blocked,
            requestBytes: row["request_bytes"],
            responseBytes: row["response_bytes"],
            bodies: bodies
        )
        interaction.sequence = row["sequence"]
        return interaction
    }
}

/// Dollar amounts as decimal text (`0.0000015`): exact, readable in `sqlite3`, and parsed back
/// to the same `Decimal`.
enum StoredDecimal {
    static func text(_ value: Decimal) -> String {
        value.description  // locale-independent: always `.` as the separator
    }

    static func decimal(_ text: String?) -> Decimal? {
        text.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
    }

    /// A required amount (a price, a limit): one the store cannot read is the engine's failure.
    static func amount(_ text: String?) throws -> Decimal {
        guard let value = Self.decimal(text) else { throw GatewayStoreError.engine("the database holds a malformed amount") }
        return value
    }
}
