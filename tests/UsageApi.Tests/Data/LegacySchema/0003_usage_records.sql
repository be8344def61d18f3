-- The usage ledger: one row per request that reached the model stage, as the Gateway reported it, with the cost
-- UsageApi computed from model_prices when the event was ingested.
--
-- Partitioned by month on "timestamp" (declarative range partitioning), because every query is bounded by time and
-- old months are dropped or archived whole (DROP / DETACH PARTITION instead of a DELETE that bloats the table).
-- Postgres requires a unique index on a partitioned table to contain the partition key, so the identity of a record
-- is (request_id, timestamp): the Gateway stamps the time once, when it receives the request, and replays the same
-- event (same time) after an outage, so a replay is a conflict and never a second record. Each month's unique index
-- stays as small as the month, which keeps inserts fast as the ledger grows. Partitions are created on demand by
-- usage_records_ensure_partition() before a batch that needs them is inserted; there is no default partition, which
-- would have to be scanned (and could block) each time a new month is attached.
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
