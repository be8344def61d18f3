using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace AiPlatform.UsageApi.Ledger;

/// <summary>
/// Writes usage events into <c>usage_records</c>, each at most once. A batch goes in with one binary <c>COPY</c> into
/// a temporary staging table and one <c>INSERT … SELECT … ON CONFLICT DO NOTHING</c> from it, which also prices every
/// event from <c>model_prices</c> as it stands at that moment; the events' payloads go from the same staging table into
/// <c>usage_payloads</c>, in the same transaction. Thread-safe.
/// </summary>
/// <remarks>
/// A record's identity is <c>(request_id, timestamp)</c>, the key of the partitioned table (see the <c>InitialSchema</c> migration): the
/// Gateway's timestamp is the time it received the request, carried unchanged through every replay, so a replayed
/// batch conflicts row by row and adds nothing. A payload has the same identity, and is written only for a key that has
/// <c>log_payloads</c> in Postgres at that moment: a Gateway's copy of the key may be stale, and a payload must never be
/// kept for a key that did not opt in.
/// </remarks>
public sealed class UsageLedger(
    NpgsqlDataSource dataSource,
    LedgerPartitions partitions,
    LedgerMetrics metrics,
    IOptions<PayloadsOptions> payloadsOptions,
    TimeProvider time,
    ILogger<UsageLedger> logger)
{
    private const string RecordColumns =
        "request_id, \"timestamp\", key_id, key_name, requested_model, served_model, target, status_code, error_code, stream, " +
        "cached, prompt_tokens, completion_tokens, total_tokens, latency_ms, ttfb_ms, retries, client_ip, metadata, trace_id, path, " +
        "request_bytes, response_bytes";

    private const string StagingColumns = RecordColumns + ", payload_request, payload_response, payload_truncated";

    // ON COMMIT DROP: the table lives for this batch's transaction only, on this connection only.
    private const string CreateStagingSql = """
        CREATE TEMP TABLE usage_staging (
            request_id text, "timestamp" timestamptz, key_id text, key_name text, requested_model text, served_model text,
            target text, status_code integer, error_code text, stream boolean, cached boolean, prompt_tokens integer,
            completion_tokens integer, total_tokens integer, latency_ms integer, ttfb_ms integer, retries integer,
            client_ip text, metadata jsonb, trace_id text, path text, request_bytes bigint, response_bytes bigint,
            payload_request text, payload_response text, payload_truncated boolean
        ) ON COMMIT DROP
        """;

    // The price of a record's model: the served model, or the requested one when the Gateway did not learn which
    // model served (an error before any answer). Cached answers cost nothing; an unpriced model costs 0, flagged.
    private const string InsertSql = $"""
        INSERT INTO usage_records ({RecordColumns}, cost_usd, price_missing, ingested_at)
        SELECT s.request_id, s."timestamp", s.key_id, s.key_name, s.requested_model, s.served_model, s.target, s.status_code,
               s.error_code, s.stream, s.cached, s.prompt_tokens, s.completion_tokens, s.total_tokens, s.latency_ms, s.ttfb_ms,
               s.retries, s.client_ip, s.metadata, s.trace_id, s.path, s.request_bytes, s.response_bytes,
               CASE WHEN s.cached OR p.model IS NULL THEN 0
                    ELSE (s.prompt_tokens * p.input_per_million_usd + s.completion_tokens * p.output_per_million_usd) / 1000000
               END,
               p.model IS NULL,
               @now
        FROM usage_staging s
        LEFT JOIN model_prices p ON p.model = coalesce(s.served_model, s.requested_model)
        ON CONFLICT (request_id, "timestamp") DO NOTHING
        """;

    // Events carry the key's id as text, which need not be a UUID (a Gateway reports what it has), so the key's id is
    // compared as text: a cast of key_id to uuid would fail the batch. Keys that log payloads are few; Postgres hashes them.
    private const string InsertPayloadsSql = """
        INSERT INTO usage_payloads (request_id, "timestamp", request, response, truncated)
        SELECT s.request_id, s."timestamp", s.payload_request, s.payload_response, s.payload_truncated
        FROM usage_staging s
        WHERE s.payload_request IS NOT NULL
          AND EXISTS (SELECT 1 FROM api_keys k WHERE k.id::text = s.key_id AND k.log_payloads)
        ON CONFLICT (request_id, "timestamp") DO NOTHING
        """;

    /// <summary>Inserts the events the ledger does not hold yet; the others count as duplicates.</summary>
    public async Task<IngestResult> IngestAsync(IReadOnlyList<UsageEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return new IngestResult(0, 0);
        }

        var started = time.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        int accepted;
        try
        {
            accepted = await InsertAsync(connection, events, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.CheckViolation && ex.TableName is null or "usage_records")
        {
            // "no partition of relation found for row": a partition this process knew of was dropped (retention).
            // Forget what it knew and try once more, creating what is missing.
            partitions.Forget();
            accepted = await InsertAsync(connection, events, cancellationToken);
        }

        var result = new IngestResult(accepted, events.Count - accepted);
        metrics.Ingested(result, time.GetElapsedTime(started));
        LedgerLog.BatchIngested(logger, result.Accepted, result.Duplicates);
        return result;
    }

    private async Task<int> InsertAsync(NpgsqlConnection connection, IReadOnlyList<UsageEvent> events, CancellationToken cancellationToken)
    {
        // 1. Partitions first, each in its own short transaction: creating one locks the parent table.
        await partitions.EnsureAsync(connection, events.Select(e => e.Timestamp), cancellationToken);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // 2. The batch into a staging table, in Postgres's binary COPY format (one round trip, no SQL parsing per row).
        await using (var create = new NpgsqlCommand(CreateStagingSql, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await CopyAsync(connection, events, payloadsOptions.Value.MaxChars, cancellationToken);

        // 3. Staging → ledger, priced, skipping what is already there.
        int accepted;
        await using (var insert = new NpgsqlCommand(InsertSql, connection, transaction))
        {
            insert.Parameters.AddWithValue("now", time.GetUtcNow());
            accepted = await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        // 4. Staging → payloads, for the keys that log them.
        if (events.Any(e => e.Payload is not null))
        {
            await using var insertPayloads = new NpgsqlCommand(InsertPayloadsSql, connection, transaction);
            await insertPayloads.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return accepted;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<UsageEvent> events, int maxPayloadChars, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY usage_staging ({StagingColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var e in events)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(e.RequestId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteTextAsync(importer, e.KeyId, cancellationToken);
            await WriteTextAsync(importer, e.KeyName, cancellationToken);
            await WriteTextAsync(importer, e.RequestedModel, cancellationToken);
            await WriteTextAsync(importer, e.ServedModel, cancellationToken);
            await WriteTextAsync(importer, e.Target, cancellationToken);
            await importer.WriteAsync(e.StatusCode, NpgsqlDbType.Integer, cancellationToken);
            await WriteTextAsync(importer, e.ErrorCode, cancellationToken);
            await importer.WriteAsync(e.Stream, NpgsqlDbType.Boolean, cancellationToken);
            await importer.WriteAsync(e.Cached, NpgsqlDbType.Boolean, cancellationToken);
            await importer.WriteAsync(e.PromptTokens, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(e.CompletionTokens, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(e.TotalTokens, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(e.LatencyMs, NpgsqlDbType.Integer, cancellationToken);
            if (e.TtfbMs is { } ttfb)
            {
                await importer.WriteAsync(ttfb, NpgsqlDbType.Integer, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }

            await importer.WriteAsync(e.Retries, NpgsqlDbType.Integer, cancellationToken);
            await WriteTextAsync(importer, e.ClientIp, cancellationToken);
            if (e.MetadataJson is { } metadata)
            {
                await importer.WriteAsync(metadata, NpgsqlDbType.Jsonb, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }

            await WriteTextAsync(importer, e.TraceId, cancellationToken);
            await WriteTextAsync(importer, e.Path, cancellationToken);
            await WriteBigintAsync(importer, e.RequestBytes, cancellationToken);
            await WriteBigintAsync(importer, e.ResponseBytes, cancellationToken);
            if (e.Payload?.Cap(maxPayloadChars) is { } payload)
            {
                await importer.WriteAsync(payload.Request, NpgsqlDbType.Text, cancellationToken);
                await WriteTextAsync(importer, payload.Response, cancellationToken);
                await importer.WriteAsync(payload.Truncated, NpgsqlDbType.Boolean, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
                await importer.WriteNullAsync(cancellationToken);
                await importer.WriteNullAsync(cancellationToken);
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteBigintAsync(NpgsqlBinaryImporter importer, long? value, CancellationToken cancellationToken) =>
        value is { } number ? importer.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
