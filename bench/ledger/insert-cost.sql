-- What one ledger record costs Postgres to insert, by the shape of its request id and of the trace id index.
--
-- Run against a database migrated by UsageApi (it copies usage_records' columns), e.g. the cluster `bench/run.sh --hold`
-- prints, once per variant, alternating, as many rounds as the machine's noise needs:
--
--   for round in 1 2 3; do
--     for v in "random-ids+btree false btree" "ordered-ids+hash true hash"; do set -- $v
--       psql -h 127.0.0.1 -p PORT -U postgres usagedb -At -v label=$1 -v ordered=$2 -v trace_index=$3 -f bench/ledger/insert-cost.sql
--     done
--   done
--
-- Each run builds a scratch copy of the ledger (same columns, same indexes but the trace id's, one month partition),
-- inserts 200,000 records in batches of 2,000 (one transaction each, as UsageApi does, ON CONFLICT on the key), and
-- prints µs per record (wall time of one backend, WAL writes and flushes included), then drops its tables.
-- ordered=true makes request ids the Gateway's way (time first, RequestIds.New); false, 24 random characters.
\set ON_ERROR_STOP 1
DROP TABLE IF EXISTS insert_cost_source, insert_cost_ledger CASCADE;

CREATE TABLE insert_cost_source AS
SELECT i,
       CASE WHEN :ordered
            THEN 'req_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint + i / 10), 12, '0') || substr(md5(random()::text), 1, 12)
            ELSE 'req_' || substr(md5(random()::text), 1, 24)
       END AS request_id,
       timestamptz '2026-11-30 10:00:00+00' + i * interval '100 microseconds' AS "timestamp",
       '0a1b2c3d-0000-4000-8000-00000000000' || (i % 3) AS key_id,
       md5(random()::text) AS trace_id
FROM generate_series(1, 200000) i;

CREATE TABLE insert_cost_ledger (LIKE usage_records INCLUDING DEFAULTS) PARTITION BY RANGE ("timestamp");
ALTER TABLE insert_cost_ledger ADD PRIMARY KEY (request_id, "timestamp");
CREATE TABLE insert_cost_ledger_month PARTITION OF insert_cost_ledger FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
CREATE INDEX ON insert_cost_ledger ("timestamp" DESC, request_id DESC);
CREATE INDEX ON insert_cost_ledger (key_id, "timestamp") INCLUDE (cost_usd);
CREATE INDEX ON insert_cost_ledger (served_model, "timestamp");
CREATE INDEX ON insert_cost_ledger (requested_model, "timestamp");
CREATE INDEX ON insert_cost_ledger ("timestamp" DESC) WHERE status_code >= 400;
CREATE INDEX ON insert_cost_ledger USING :trace_index (trace_id) WHERE trace_id IS NOT NULL;
CHECKPOINT;

SELECT clock_timestamp() AS started \gset
DO $$
BEGIN
    FOR batch IN 0..99 LOOP
        INSERT INTO insert_cost_ledger (request_id, "timestamp", key_id, key_name, requested_model, served_model, target, status_code,
            prompt_tokens, completion_tokens, total_tokens, latency_ms, client_ip, price_missing, trace_id, path)
        SELECT request_id, "timestamp", key_id, 'bench', 'gpt-4o-mini', 'gpt-4o-mini', 'sim', 200, 120, 30, 150, 2, '127.0.0.1', true,
               trace_id, '/v1/chat/completions'
        FROM insert_cost_source
        WHERE i > batch * 2000 AND i <= (batch + 1) * 2000
        ON CONFLICT (request_id, "timestamp") DO NOTHING;
        COMMIT;
    END LOOP;
END $$;
SELECT :'label' AS variant, round(extract(epoch FROM clock_timestamp() - :'started'::timestamptz) * 1e6 / 200000, 1) AS us_per_record;

DROP TABLE insert_cost_source, insert_cost_ledger CASCADE;
