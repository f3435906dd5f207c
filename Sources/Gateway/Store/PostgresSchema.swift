import Foundation

/// The PostgreSQL schema: the same migrations as ``SQLiteSchema``, with the same identifiers
/// (`NNNN-name`) and the same tables and columns (a test compares both engines' catalogs), in
/// PostgreSQL's dialect. Applied in order at open and recorded in `archestra_migrations`.
///
/// Stored forms match SQLite's so the row mappings read alike: ids are lowercase UUID text, times
/// integer milliseconds (`BIGINT`), amounts decimal text, JSON text. Two differences: booleans are
/// `BOOLEAN`, and tables listed "oldest first" carry an explicit `rowid` identity column, the
/// insertion order SQLite keeps implicitly and the listings use to break equal `created_at`.
///
/// Never edit a shipped migration; add one, here and in ``SQLiteSchema``, with the same number.
enum PostgresSchema {
    struct Migration: Sendable {
        var identifier: String
        /// One statement each: the extended query protocol takes one at a time.
        var statements: [String]
    }

    /// Where applied migrations are recorded (GRDB's `grdb_migrations` on SQLite).
    static let migrationsTable = "archestra_migrations"

    static var migrations: [Migration] {
        [
            Migration(identifier: "0001-gateway", statements: gatewayTables),
            Migration(
                identifier: "0002-model-lists",
                statements: [
                    """
                    CREATE TABLE model_lists (
                        source TEXT PRIMARY KEY NOT NULL,
                        provider TEXT NOT NULL,
                        models TEXT NOT NULL,
                        synced_at BIGINT NOT NULL,
                        error TEXT
                    )
                    """
                ]),
            Migration(
                identifier: "0003-cost-limits",
                statements: [
                    """
                    CREATE TABLE model_prices (
                        model TEXT PRIMARY KEY NOT NULL,
                        input TEXT NOT NULL,
                        output TEXT NOT NULL,
                        cache_read TEXT NOT NULL,
                        cache_write TEXT NOT NULL,
                        updated_at BIGINT NOT NULL
                    )
                    """,
                    """
                    CREATE TABLE spend_limits (
                        rowid BIGINT GENERATED ALWAYS AS IDENTITY,
                        id TEXT PRIMARY KEY NOT NULL,
                        entity_type TEXT NOT NULL CHECK (entity_type IN ('virtual_key', 'profile', 'organization')),
                        entity_id TEXT,
                        usd TEXT NOT NULL,
                        "window" TEXT NOT NULL,
                        models TEXT NOT NULL,
                        created_at BIGINT NOT NULL
                    )
                    """,
                    """
                    CREATE TABLE spend_limit_usage (
                        limit_id TEXT NOT NULL REFERENCES spend_limits (id) ON DELETE CASCADE,
                        bucket BIGINT NOT NULL,
                        nano_usd BIGINT NOT NULL,
                        PRIMARY KEY (limit_id, bucket)
                    )
                    """,
                ]),
            Migration(identifier: "0004-interactions", statements: interactionTables),
            Migration(
                identifier: "0005-tool-policies",
                statements: [
                    """
                    CREATE TABLE tool_policies (
                        rowid BIGINT GENERATED ALWAYS AS IDENTITY,
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('tool_invocation', 'trusted_data')),
                        profile_id TEXT REFERENCES profiles (id) ON DELETE CASCADE,
                        tool_name TEXT NOT NULL,
                        conditions TEXT NOT NULL,
                        action TEXT NOT NULL,
                        reason TEXT,
                        created_at BIGINT NOT NULL
                    )
                    """,
                    "CREATE INDEX tool_policies_profile ON tool_policies (profile_id)",
                ]),
            Migration(
                identifier: "0006-optimisation-rules",
                statements: [
                    // Archestra's two default rules are inserted by the store after this, disabled.
                    """
                    CREATE TABLE optimisation_rules (
                        rowid BIGINT GENERATED ALWAYS AS IDENTITY,
                        id TEXT PRIMARY KEY NOT NULL,
                        provider TEXT NOT NULL,
                        target_model TEXT NOT NULL,
                        max_prompt_tokens BIGINT,
                        has_tools BOOLEAN,
                        enabled BOOLEAN NOT NULL,
                        created_at BIGINT NOT NULL
                    )
                    """,
                    "CREATE INDEX optimisation_rules_provider ON optimisation_rules (provider, created_at)",
                ]),
        ]
    }

    /// The number of the newest migration this build knows; equals ``SQLiteSchema/supportedVersion``.
    static var supportedVersion: Int {
        migrations.compactMap { SQLiteSchema.version(of: $0.identifier) }.max() ?? 0
    }

    /// The default profile is inserted by the store after these run, with bound values.
    private static let gatewayTables: [String] = [
        """
        CREATE TABLE revision (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            value BIGINT NOT NULL
        )
        """,
        "INSERT INTO revision (id, value) VALUES (1, 1)",
        """
        CREATE TABLE profiles (
            rowid BIGINT GENERATED ALWAYS AS IDENTITY,
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('profile', 'llm_proxy')),
            is_default BOOLEAN NOT NULL DEFAULT FALSE,
            consider_context_untrusted BOOLEAN NOT NULL DEFAULT FALSE,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX profiles_one_default ON profiles (is_default) WHERE is_default",
        """
        CREATE TABLE provider_keys (
            rowid BIGINT GENERATED ALWAYS AS IDENTITY,
            id TEXT PRIMARY KEY NOT NULL,
            provider TEXT NOT NULL,
            name TEXT,
            secret_sealed TEXT NOT NULL,
            base_url TEXT,
            extra_headers TEXT NOT NULL DEFAULT '{}',
            is_primary BOOLEAN NOT NULL DEFAULT FALSE,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX provider_keys_one_primary ON provider_keys (provider) WHERE is_primary",
        """
        CREATE TABLE virtual_keys (
            rowid BIGINT GENERATED ALWAYS AS IDENTITY,
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT,
            token_start TEXT NOT NULL,
            value_sealed TEXT NOT NULL,
            expires_at BIGINT,
            revoked_at BIGINT,
            last_used_at BIGINT,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX virtual_keys_token_start ON virtual_keys (token_start)",
        """
        CREATE TABLE virtual_key_provider_keys (
            virtual_key_id TEXT NOT NULL REFERENCES virtual_keys (id) ON DELETE CASCADE,
            provider_key_id TEXT NOT NULL REFERENCES provider_keys (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (virtual_key_id, provider_key_id)
        )
        """,
        "CREATE INDEX virtual_key_provider_keys_provider_key ON virtual_key_provider_keys (provider_key_id)",
        """
        CREATE TABLE oauth_clients (
            rowid BIGINT GENERATED ALWAYS AS IDENTITY,
            id TEXT PRIMARY KEY NOT NULL,
            client_id TEXT NOT NULL UNIQUE,
            name TEXT,
            secret_hash TEXT NOT NULL,
            revoked_at BIGINT,
            created_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE oauth_client_profiles (
            oauth_client_id TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
            profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (oauth_client_id, profile_id)
        )
        """,
        "CREATE INDEX oauth_client_profiles_profile ON oauth_client_profiles (profile_id)",
        """
        CREATE TABLE oauth_client_provider_keys (
            oauth_client_id TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
            provider_key_id TEXT NOT NULL REFERENCES provider_keys (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (oauth_client_id, provider_key_id)
        )
        """,
        "CREATE INDEX oauth_client_provider_keys_provider_key ON oauth_client_provider_keys (provider_key_id)",
        """
        CREATE TABLE oauth_access_tokens (
            token_hash TEXT PRIMARY KEY NOT NULL,
            oauth_client_id TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
            scope TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX oauth_access_tokens_client ON oauth_access_tokens (oauth_client_id)",
        "CREATE INDEX oauth_access_tokens_expires_at ON oauth_access_tokens (expires_at)",
    ]

    /// `sequence` is an identity: PostgreSQL never hands a number out twice, so pruning every row
    /// never lets a number come back (SQLite's AUTOINCREMENT).
    private static let interactionTables: [String] = [
        """
        CREATE TABLE interactions (
            sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            started_at BIGINT NOT NULL,
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
            stream BOOLEAN NOT NULL DEFAULT FALSE,
            status INTEGER,
            error_code TEXT,
            total_us BIGINT,
            upstream_us BIGINT,
            first_message_us BIGINT,
            input_tokens BIGINT,
            output_tokens BIGINT,
            cache_read_tokens BIGINT,
            cache_write_tokens BIGINT,
            reasoning_tokens BIGINT,
            cost_usd TEXT,
            cache_cost_usd TEXT,
            savings_usd TEXT,
            blocked_tool_calls TEXT NOT NULL DEFAULT '[]',
            request_bytes BIGINT NOT NULL DEFAULT 0,
            response_bytes BIGINT NOT NULL DEFAULT 0,
            request_body TEXT,
            request_body_truncated BOOLEAN NOT NULL DEFAULT FALSE,
            response_body TEXT,
            response_body_truncated BOOLEAN NOT NULL DEFAULT FALSE
        )
        """,
        "CREATE INDEX interactions_started_at ON interactions (started_at)",
        "CREATE INDEX interactions_profile ON interactions (profile_id, sequence)",
        "CREATE INDEX interactions_virtual_key ON interactions (virtual_key_id, sequence)",
        "CREATE INDEX interactions_provider_model ON interactions (provider, model, sequence)",
        "CREATE INDEX interactions_status ON interactions (status, sequence)",
    ]
}
