using Microsoft.EntityFrameworkCore.Migrations;

namespace AiPlatform.UsageApi.Data.Migrations;

/// <summary>
/// The schema the SQL scripts of earlier versions built (0001 to 0005): keys and prices from the EF Core model, and
/// in SQL what the model leaves out: the partitioned ledger and the prices the platform starts with. A database those
/// scripts made is recorded as having this migration (<see cref="UsageDbMigrator"/>), so the two must stay identical.
/// </summary>
public partial class InitialSchema : Migration
{
    // The usage ledger, as script 0003 made it. One row per request that reached the model stage, as the Gateway
    // reported it, with the cost UsageApi computed from model_prices when the event was ingested.
    //
    // Partitioned by month on "timestamp" (declarative range partitioning), because every query is bounded by time
    // and old months are dropped or archived whole (DROP / DETACH PARTITION instead of a DELETE that bloats the
    // table). Postgres requires a unique index on a partitioned table to contain the partition key, so the identity of
    // a record is (request_id, timestamp): the Gateway stamps the time once, when it receives the request, and replays
    // the same event (same time) after an outage, so a replay is a conflict and never a second record. Each month's
    // unique index stays as small as the month, which keeps inserts fast as the ledger grows. Partitions are created
    // on demand by usage_records_ensure_partition() before a batch that needs them is inserted; there is no default
    // partition, which would have to be scanned (and could block) each time a new month is attached.
    private const string CreateLedgerSql = """
        CREATE TABLE usage_records (
            request_id        text           NOT NULL,
            "timestamp"       timestamptz    NOT NULL,
            key_id            text,
            key_name          text,
            requested_model   text,
            served_model      text,
            target            text,
            status_code       integer        NOT NULL,
            error_code        text,
            stream            boolean        NOT NULL DEFAULT false,
            cached            boolean        NOT NULL DEFAULT false,
            prompt_tokens     integer        NOT NULL DEFAULT 0,
            completion_tokens integer        NOT NULL DEFAULT 0,
            total_tokens      integer        NOT NULL DEFAULT 0,
            latency_ms        integer        NOT NULL DEFAULT 0,
            ttfb_ms           integer,
            retries           integer        NOT NULL DEFAULT 0,
            client_ip         text,
            metadata          jsonb,
            cost_usd          numeric(18, 9) NOT NULL DEFAULT 0,
            price_missing     boolean        NOT NULL DEFAULT false,
            ingested_at       timestamptz    NOT NULL DEFAULT now(),
            PRIMARY KEY (request_id, "timestamp")
        ) PARTITION BY RANGE ("timestamp");

        -- GET /v1/usage/records pages newest first by (timestamp, request_id); summaries and time series scan a time range.
        CREATE INDEX usage_records_time_idx ON usage_records ("timestamp" DESC, request_id DESC);
        -- Per-key queries, and the budget reconciliation's sum of cost_usd, which this index answers alone (index-only scan).
        CREATE INDEX usage_records_key_time_idx ON usage_records (key_id, "timestamp") INCLUDE (cost_usd);
        -- "model" filters match the served or the requested model: two indexes, combined by a BitmapOr.
        CREATE INDEX usage_records_served_model_time_idx ON usage_records (served_model, "timestamp");
        CREATE INDEX usage_records_requested_model_time_idx ON usage_records (requested_model, "timestamp");
        -- Errors are few: a small partial index serves status=4xx/5xx filters without reading the successes.
        CREATE INDEX usage_records_errors_time_idx ON usage_records ("timestamp" DESC) WHERE status_code >= 400;

        -- Creates the month partition that holds month_start (a UTC month), unless it exists. Replicas may race to create
        -- the same month: a transaction-scoped advisory lock makes the second one wait and then find the table there.
        CREATE FUNCTION usage_records_ensure_partition(month_start timestamptz) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            month_utc      timestamp   := date_trunc('month', month_start AT TIME ZONE 'UTC');
            lower_bound    timestamptz := month_utc AT TIME ZONE 'UTC';
            upper_bound    timestamptz := (month_utc + interval '1 month') AT TIME ZONE 'UTC';
            partition_name text        := 'usage_records_' || to_char(month_utc, 'YYYY_MM');
        BEGIN
            IF to_regclass(partition_name) IS NOT NULL THEN
                RETURN;
            END IF;
            -- "AIPLPART" as ASCII.
            PERFORM pg_advisory_xact_lock(4704379574459388500);
            EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF usage_records FOR VALUES FROM (%L) TO (%L)',
                           partition_name, lower_bound, upper_bound);
        END
        $$;
        """;

    // Initial data, as script 0004 inserted it, not model data (HasData): from here on the prices are the
    // administrators', and a later change of the list must not touch theirs. The simulator is free; the others are
    // the providers' list prices (USD per 1M tokens) when this was written. The price table starts at version 1.
    private const string SeedPricesSql = """
        INSERT INTO model_prices_version (version) VALUES (1);

        INSERT INTO model_prices (model, input_per_million_usd, output_per_million_usd) VALUES
            ('sim',                     0,     0),
            ('gpt-4o-mini',             0.15,  0.60),
            ('gpt-4o',                  2.50, 10.00),
            ('gpt-4.1',                 2.00,  8.00),
            ('gpt-4.1-mini',            0.40,  1.60),
            ('gpt-4.1-nano',            0.10,  0.40),
            ('text-embedding-3-small',  0.02,  0),
            ('text-embedding-3-large',  0.13,  0);
        """;

    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "api_keys",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                name = table.Column<string>(type: "text", nullable: false),
                key_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                key_prefix = table.Column<string>(type: "text", nullable: false),
                rpm = table.Column<int>(type: "integer", nullable: true),
                tpm = table.Column<int>(type: "integer", nullable: true),
                budget_usd = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                models = table.Column<string[]>(type: "text[]", nullable: false, defaultValueSql: "'{}'"),
                expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'"),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                cache_namespace = table.Column<string>(type: "text", nullable: true),
                version = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "1"),
                budget_period = table.Column<string>(type: "text", nullable: true)
            },
            constraints: table =>
            {
                table.PrimaryKey("api_keys_pkey", x => x.id);
                table.UniqueConstraint("api_keys_key_hash_key", x => x.key_hash);
                table.CheckConstraint("api_keys_budget_period_check", "budget_period IN ('daily', 'monthly')");
                table.CheckConstraint("api_keys_budget_usd_check", "budget_usd IS NULL OR budget_usd >= 0");
                table.CheckConstraint("api_keys_rpm_check", "rpm IS NULL OR rpm > 0");
                table.CheckConstraint("api_keys_tpm_check", "tpm IS NULL OR tpm > 0");
            });

        migrationBuilder.CreateTable(
            name: "model_prices",
            columns: table => new
            {
                model = table.Column<string>(type: "text", nullable: false),
                input_per_million_usd = table.Column<decimal>(type: "numeric(18,9)", precision: 18, scale: 9, nullable: false),
                output_per_million_usd = table.Column<decimal>(type: "numeric(18,9)", precision: 18, scale: 9, nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
            },
            constraints: table =>
            {
                table.PrimaryKey("model_prices_pkey", x => x.model);
                table.CheckConstraint("model_prices_input_per_million_usd_check", "input_per_million_usd >= 0");
                table.CheckConstraint("model_prices_output_per_million_usd_check", "output_per_million_usd >= 0");
            });

        migrationBuilder.CreateTable(
            name: "model_prices_version",
            columns: table => new
            {
                singleton = table.Column<bool>(type: "boolean", nullable: false, defaultValueSql: "true"),
                version = table.Column<long>(type: "bigint", nullable: false)
            },
            constraints: table =>
            {
                table.PrimaryKey("model_prices_version_pkey", x => x.singleton);
                table.CheckConstraint("model_prices_version_singleton_check", "singleton");
            });

        migrationBuilder.CreateIndex(
            name: "api_keys_active_idx",
            table: "api_keys",
            column: "created_at",
            descending: new bool[0],
            filter: "revoked_at IS NULL");

        migrationBuilder.Sql(CreateLedgerSql);
        migrationBuilder.Sql(SeedPricesSql);
    }

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // The partitions go with their parent table.
        migrationBuilder.Sql("DROP FUNCTION usage_records_ensure_partition(timestamptz); DROP TABLE usage_records;");

        migrationBuilder.DropTable(
            name: "api_keys");

        migrationBuilder.DropTable(
            name: "model_prices");

        migrationBuilder.DropTable(
            name: "model_prices_version");
    }
}
