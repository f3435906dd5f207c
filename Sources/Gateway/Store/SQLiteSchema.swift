import Foundation
import GRDB

/// The SQLite schema as a list of migrations, applied in order at open and recorded by GRDB in
/// `grdb_migrations`.
///
/// Identifiers are `NNNN-name`: the number is what ``GatewayStoreError/newerSchema(found:supported:)``
/// reports. Never edit a shipped migration; add one.
///
/// Conventions: ids are lowercase UUID text, times are integer milliseconds since 1970 (exact
/// round trips, and comparisons in SQL), booleans are 0/1, secrets are ``SecretBox`` text.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("0001-gateway") { db in
            try createGatewayTables(db)
        }
        migrator.registerMigration("0002-model-lists") { db in
            // The model router's `/models`, synced per provider key (or per keyless provider)
            // from the provider's own listing. `models` is a JSON array of ListedModel.
            try db.execute(
                sql: """
                    CREATE TABLE model_lists (
                        source TEXT PRIMARY KEY NOT NULL,
                        provider TEXT NOT NULL,
                        models TEXT NOT NULL,
                        synced_at INTEGER NOT NULL,
                        error TEXT
                    );
                    """)
        }
        migrator.registerMigration("0003-cost-limits") { db in
            // Administrators' model prices (USD per million tokens, Decimal as text), spending
            // limits (`usd` Decimal as text; `models` a JSON array, empty for all) and their spend
            // per window bucket in nano-dollars (integers, so concurrent additions are exact).
            try db.execute(
                sql: """
                    CREATE TABLE model_prices (
                        model TEXT PRIMARY KEY NOT NULL,
                        input TEXT NOT NULL,
                        output TEXT NOT NULL,
                        cache_read TEXT NOT NULL,
                        cache_write TEXT NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE TABLE spend_limits (
                        id TEXT PRIMARY KEY NOT NULL,
                        entity_type TEXT NOT NULL CHECK (entity_type IN ('virtual_key', 'profile', 'organization')),
                        entity_id TEXT,
                        usd TEXT NOT NULL,
                        window TEXT NOT NULL,
                        models TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE spend_limit_usage (
                        limit_id TEXT NOT NULL REFERENCES spend_limits (id) ON DELETE CASCADE,
                        bucket INTEGER NOT NULL,
                        nano_usd INTEGER NOT NULL,
                        PRIMARY KEY (limit_id, bucket)
                    );
                    """)
        }
        migrator.registerMigration("0004-interactions") { db in
            try createInteractionTables(db)
        }
        migrator.registerMigration("0005-tool-policies") { db in
            // Tool-invocation and trusted-data policies (GATEWAY.md §4). `profile_id` NULL is an
            // organisation default. `conditions` is a JSON array of {key, operator, value}.
            try db.execute(
                sql: """
                    CREATE TABLE tool_policies (
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('tool_invocation', 'trusted_data')),
                        profile_id TEXT REFERENCES profiles (id) ON DELETE CASCADE,
                        tool_name TEXT NOT NULL,
                        conditions TEXT NOT NULL,
                        action TEXT NOT NULL,
                        reason TEXT,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX tool_policies_profile ON tool_policies (profile_id);
                    """)
        }
        migrator.registerMigration("0006-optimisation-rules") { db in
            // Model optimisation rules (GATEWAY.md §5), organisation-wide, per provider: the first
            // enabled rule (oldest first) whose conditions all hold rewrites the request's model.
            // A NULL condition is absent. Archestra's two defaults arrive disabled.
            try db.execute(
                sql: """
                    CREATE TABLE optimisation_rules (
                        id TEXT PRIMARY KEY NOT NULL,
                        provider TEXT NOT NULL,
                        target_model TEXT NOT NULL,
                        max_prompt_tokens INTEGER,
                        has_tools INTEGER,
                        enabled INTEGER NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX optimisation_rules_provider ON optimisation_rules (provider, created_at);
                    """)
            let now = StoredTime.milliseconds(StoredTime.normalized(Date()))
            for (offset, rule) in OptimisationRule.archestraDefaults.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO optimisation_rules (id, provider, target_model, max_prompt_tokens, has_tools, enabled, created_at)
                        VALUES (?, ?, ?, ?, ?, 0, ?)
                        """,
                    arguments: [
                        StoredID.text(UUID()), rule.provider, rule.targetModel, rule.conditions.maxPromptTokens,
                        rule.conditions.hasTools, now + Int64(offset),
                    ])
            }
        }
        return migrator
    }

    /// The number of the newest migration this build knows.
    static var supportedVersion: Int {
        migrator.migrations.compactMap(version(of:)).max() ?? 0
    }

    static func version(of identifier: String) -> Int? {
        identifier.split(separator: "-", maxSplits: 1).first.flatMap { Int($0) }
    }

    private static func createGatewayTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE revision (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    value INTEGER NOT NULL
                );
                INSERT INTO revision (id, value) VALUES (1, 1);

                CREATE TABLE profiles (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('profile', 'llm_proxy')),
                    is_default INTEGER NOT NULL DEFAULT 0,
                    consider_context_untrusted INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX profiles_one_default ON profiles (is_default) WHERE is_default = 1;

                CREATE TABLE provider_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    provider TEXT NOT NULL,
                    name TEXT,
                    secret_sealed TEXT NOT NULL,
                    base_url TEXT,
                    extra_headers TEXT NOT NULL DEFAULT '{}',
                    is_primary INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX provider_keys_one_primary ON provider_keys (provider) WHERE is_primary = 1;

                CREATE TABLE virtual_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT,
                    token_start TEXT NOT NULL,
                    value_sealed TEXT NOT NULL,
                    expires_at INTEGER,
                    revoked_at INTEGER,
                    last_used_at INTEGER,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX virtual_keys_token_start ON virtual_keys (token_start);

                CREATE TABLE virtual_key_provider_keys (
                    virtual_key_id TEXT NOT NULL REFERENCES virtual_keys (id) ON DELETE CASCADE,
                    provider_key_id TEXT NOT NULL REFERENCES provider_keys (id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (virtual_key_id, provider_key_id)
                );
                CREATE INDEX virtual_key_provider_keys_provider_key ON virtual_key_provider_keys (provider_key_id);

                CREATE TABLE oauth_clients (
                    id TEXT PRIMARY KEY NOT NULL,
                    client_id TEXT NOT NULL UNIQUE,
                    name TEXT,
                    secret_hash TEXT NOT NULL,
                    revoked_at INTEGER,
                    created_at INTEGER NOT NULL
                );

                CREATE TABLE oauth_client_profiles (
                    oauth_client_id TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
                    profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (oauth_client_id, profile_id)
                );
                CREATE INDEX oauth_client_profiles_profile ON oauth_client_profiles (profile_id);

                CREATE TABLE oauth_client_provider_keys (
                    oauth_client_id TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
                    provider_key_id TEXT NOT NULL REFERENCES provider_keys (id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (oauth_client_id, provider_key_id)
                );
                CREATE INDEX oauth_client_provider_keys_provider_key ON oauth_client_provider_keys (provider_key_id);

                CREATE TABLE oauth_access_tokens (
                    token_hash TEXT PRIMARY KEY NOT NULL,
                    oauth_client_id TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
                    scope TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX oauth_access_tokens_client ON oauth_access_tokens (oauth_client_id);
                CREATE INDEX oauth_access_tokens_expires_at ON oauth_access_tokens (expires_at);
                """
        )
        // The default profile exists from the first start: routes without a profile id use it.
        try db.execute(
            sql: "INSERT INTO profiles (id, name, kind, is_default, consider_context_untrusted, created_at) VALUES (?, 'default', 'profile', 1, 0, ?)",
            arguments: [StoredID.text(UUID()), StoredTime.milliseconds(Date())]
        )
    }

    /// The interaction log: one row per proxied request. `sequence` is the insertion order
    /// (AUTOINCREMENT, so pruning every row never lets a number come back and confuse a pager or
    /// `--follow`); durations are integer microseconds; costs are decimal text (exact USD); the
    /// indexes serve the admin API's filters, newest first, and the pruning by age.
    private static func createInteractionTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE interactions (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    started_at INTEGER NOT NULL,
                    profile_id TEXT,
                    credential_kind TEXT NOT NULL,
                    virtual_key_id TEXT,
                    oauth_client_id TEXT,
                    provider_key_id TEXT,
                    provider TEXT,
                    model TEXT,
                    baseline_model TEXT,
                    method TEXT NOT NULL,
                    path TEXT NOT NULL,
                    stream INTEGER NOT NULL DEFAULT 0,
                    status INTEGER,
                    error_code TEXT,
                    total_us INTEGER,
                    upstream_us INTEGER,
                    first_message_us INTEGER,
                    input_tokens INTEGER,
                    output_tokens INTEGER,
                    cache_read_tokens INTEGER,
                    cache_write_tokens INTEGER,
                    reasoning_tokens INTEGER,
                    cost_usd TEXT,
                    cache_cost_usd TEXT,
                    savings_usd TEXT,
                    blocked_tool_calls TEXT NOT NULL DEFAULT '[]',
                    request_bytes INTEGER NOT NULL DEFAULT 0,
                    response_bytes INTEGER NOT NULL DEFAULT 0,
                    request_body TEXT,
                    request_body_truncated INTEGER NOT NULL DEFAULT 0,
                    response_body TEXT,
                    response_body_truncated INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX interactions_started_at ON interactions (started_at);
                CREATE INDEX interactions_profile ON interactions (profile_id, sequence);
                CREATE INDEX interactions_virtual_key ON interactions (virtual_key_id, sequence);
                CREATE INDEX interactions_provider_model ON interactions (provider, model, sequence);
                CREATE INDEX interactions_status ON interactions (status, sequence);
                """
        )
    }

    /// Called inside every administrative write's transaction, so that a reader sees the new
    /// revision exactly when it can see the change.
    static func bumpRevision(_ db: Database) throws {
        try db.execute(sql: "UPDATE revision SET value = value + 1 WHERE id = 1")
    }
}

/// UUIDs as lowercase text: readable in `sqlite3`, and the form PostgreSQL prints.
enum StoredID {
    static func text(_ id: UUID) -> String { id.uuidString.lowercased() }

    static func uuid(_ text: String?) throws -> UUID {
        guard let text, let id = UUID(uuidString: text) else {
            throw GatewayStoreError.engine("the database holds a malformed id")
        }
        return id
    }
}

/// Times as integer milliseconds since 1970. Every date the store returns is rebuilt from this
/// form, so a value read back equals the value a write returned.
enum StoredTime {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    static func date(_ milliseconds: Int64?) -> Date? {
        milliseconds.map { date($0) }
    }

    /// `date` as the store will return it.
    static func normalized(_ date: Date) -> Date {
        self.date(milliseconds(date))
    }
}
