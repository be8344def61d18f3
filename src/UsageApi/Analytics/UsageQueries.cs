using System.Globalization;
using System.Text;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Usage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace AiPlatform.UsageApi.Analytics;

/// <summary>
/// The analytics queries over <c>usage_records</c>. Every query but the lookup of one record is bounded by time, so
/// Postgres reads only the month partitions of the range, through the indexes of the migrations. All filter values,
/// metadata member names included, are parameters.
/// </summary>
/// <remarks>
/// Percentiles use <c>percentile_disc</c> (nearest rank), not <c>percentile_cont</c>: a latency percentile should be a
/// latency some request really had, in whole milliseconds like the data, not an interpolation between two requests;
/// it is what "95% of requests took at most this long" means. Both cost the same sort; the three latency percentiles
/// share one (<c>percentile_disc(ARRAY[…])</c>), the two time-to-first-byte percentiles another.
/// </remarks>
public sealed class UsageQueries(NpgsqlDataSource dataSource, IOptions<AnalyticsOptions> options)
{
    private const string RecordColumns =
        "request_id, \"timestamp\", key_id, key_name, requested_model, served_model, target, status_code, error_code, stream, cached, " +
        "prompt_tokens, completion_tokens, total_tokens, latency_ms, ttfb_ms, retries, client_ip, metadata::text, cost_usd, price_missing, ingested_at, " +
        "trace_id, path, request_bytes, response_bytes";

    private const string Figures = """
        count(*) AS requests,
        count(*) FILTER (WHERE status_code >= 400) AS errors,
        count(*) FILTER (WHERE cached) AS cache_hits,
        coalesce(sum(prompt_tokens), 0)::bigint AS prompt_tokens,
        coalesce(sum(completion_tokens), 0)::bigint AS completion_tokens,
        coalesce(sum(total_tokens), 0)::bigint AS total_tokens,
        coalesce(sum(cost_usd), 0) AS cost_usd,
        percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS latency,
        percentile_disc(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY ttfb_ms) AS ttfb
        """;

    /// <summary>Buckets count from a UTC midnight, so day buckets are UTC days and hour buckets whole UTC hours.</summary>
    private static readonly DateTimeOffset s_bucketOrigin = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Records newest first (timestamp, then request_id, both descending), after <paramref name="cursor"/>.</summary>
    public async Task<UsageRecordPage> ListRecordsAsync(UsageFilter filter, int limit, UsageCursor? cursor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        var where = Where(filter, command);
        if (cursor is { } after)
        {
            // A row comparison: the index on ("timestamp" DESC, request_id DESC) starts right after the cursor.
            where.Append(" AND (\"timestamp\", request_id) < (@cursor_timestamp, @cursor_request_id)");
            command.Parameters.AddWithValue("cursor_timestamp", after.Timestamp);
            command.Parameters.AddWithValue("cursor_request_id", after.RequestId);
        }

        // One more than asked: whether it exists says if there is a next page.
        command.CommandText = $"""
            SELECT {RecordColumns} FROM usage_records WHERE {where}
            ORDER BY "timestamp" DESC, request_id DESC
            LIMIT @limit
            """;
        command.Parameters.AddWithValue("limit", limit + 1);

        var records = new List<UsageRecordView>(Math.Min(limit + 1, 1024));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(ReadRecord(reader));
            }
        }

        string? next = null;
        if (records.Count > limit)
        {
            records.RemoveAt(limit);
            next = new UsageCursor(records[^1].Timestamp, records[^1].RequestId).Encode();
        }

        return new UsageRecordPage(records, next);
    }

    /// <summary>
    /// The record of <paramref name="requestId"/> with its payload, or null. A client that reuses its request id has
    /// several records under it (see <c>UsageLedger</c>): the newest is the one shown.
    /// </summary>
    /// <remarks>
    /// Not bounded by time: each month partition's primary key index, (request_id, timestamp), finds the id's newest
    /// record in one probe, so the lookup costs a probe per month kept.
    /// </remarks>
    public async Task<UsageRecordDetail?> GetRecordAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH r AS (
                SELECT {RecordColumns} FROM usage_records WHERE request_id = @request_id
                ORDER BY "timestamp" DESC
                LIMIT 1
            )
            SELECT r.*, p.request, p.response, p.truncated
            FROM r LEFT JOIN usage_payloads p ON p.request_id = r.request_id AND p."timestamp" = r."timestamp"
            """);
        command.Parameters.AddWithValue("request_id", requestId);

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        // After the record's 26 columns.
        const int payload = 26;
        return new UsageRecordDetail(ReadRecord(reader), reader.IsDBNull(payload) ? null : new UsagePayload(
            reader.GetString(payload), NullableString(reader, payload + 1), reader.GetBoolean(payload + 2)));
    }

    /// <summary>The figures per group: models and keys by request count (most first), days and hours in time order, or the totals.</summary>
    public async Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(UsageFilter filter, UsageGrouping grouping, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginWithWorkMemAsync(connection, cancellationToken);
        await using var command = new NpgsqlCommand(null, connection, transaction);
        var where = Where(filter, command);
        var (group, order) = grouping switch
        {
            UsageGrouping.Model => ("coalesce(served_model, requested_model)", "requests DESC, grp"),
            UsageGrouping.Key => ("key_id", "requests DESC, grp"),
            UsageGrouping.None => ("NULL::text", "grp"),
            _ => ("date_bin(@width, \"timestamp\", @origin)", "grp"),
        };
        if (grouping is UsageGrouping.Day or UsageGrouping.Hour)
        {
            AddBucket(command, grouping == UsageGrouping.Day ? UsageBucket.Day : UsageBucket.Hour);
        }

        command.CommandText = $"""
            SELECT {group} AS grp, {Figures}, max("timestamp") AS last_request_at
            FROM usage_records WHERE {where}
            GROUP BY grp
            ORDER BY {order}
            """;

        var rows = new List<UsageSummaryRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var groupName = reader.IsDBNull(0) ? null
                : grouping is UsageGrouping.Day or UsageGrouping.Hour
                    ? reader.GetFieldValue<DateTimeOffset>(0).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)
                    : reader.GetString(0);
            rows.Add(ReadFigures(reader, 1, new UsageSummaryRow { Group = groupName, LastRequestAt = reader.GetFieldValue<DateTimeOffset>(10) }));
        }

        return rows;
    }

    /// <summary>The figures per time bucket over the whole range, in time order; buckets without records are there, with zeros.</summary>
    public async Task<IReadOnlyList<UsageTimeseriesPoint>> TimeseriesAsync(UsageFilter filter, UsageBucket bucket, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginWithWorkMemAsync(connection, cancellationToken);
        await using var command = new NpgsqlCommand(null, connection, transaction);
        var where = Where(filter, command);
        AddBucket(command, bucket);
        command.CommandText = $"""
            WITH figures AS (
                SELECT date_bin(@width, "timestamp", @origin) AS bucket, {Figures}
                FROM usage_records WHERE {where}
                GROUP BY 1
            )
            SELECT b.bucket, coalesce(f.requests, 0), coalesce(f.errors, 0), coalesce(f.cache_hits, 0), coalesce(f.prompt_tokens, 0),
                   coalesce(f.completion_tokens, 0), coalesce(f.total_tokens, 0), coalesce(f.cost_usd, 0), f.latency, f.ttfb
            FROM generate_series(date_bin(@width, @from, @origin), @to - interval '1 microsecond', @width) AS b(bucket)
            LEFT JOIN figures f ON f.bucket = b.bucket
            ORDER BY b.bucket
            """;

        var points = new List<UsageTimeseriesPoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            points.Add(ReadFigures(reader, 1, new UsageTimeseriesPoint { Bucket = reader.GetFieldValue<DateTimeOffset>(0) }));
        }

        return points;
    }

    /// <summary>A read-only transaction whose sorts may use <see cref="AnalyticsOptions.WorkMemMegabytes"/>; it ends (rolled back) when disposed.</summary>
    private async Task<NpgsqlTransaction> BeginWithWorkMemAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var set = new NpgsqlCommand(
            string.Create(CultureInfo.InvariantCulture, $"SET TRANSACTION READ ONLY; SET LOCAL work_mem = '{options.Value.WorkMemMegabytes}MB'"),
            connection, transaction);
        await set.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    private static StringBuilder Where(UsageFilter filter, NpgsqlCommand command)
    {
        var where = new StringBuilder("\"timestamp\" >= @from AND \"timestamp\" < @to");
        command.Parameters.AddWithValue("from", filter.From);
        command.Parameters.AddWithValue("to", filter.To);
        AddEquals(where, command, "key_id", filter.KeyId);
        AddEquals(where, command, "cached", filter.Cached);
        AddEquals(where, command, "stream", filter.Stream);
        AddEquals(where, command, "target", filter.Target);
        AddEquals(where, command, "path", filter.Path);
        AddEquals(where, command, "trace_id", filter.TraceId);
        if (filter.Model is { } model)
        {
            where.Append(" AND (served_model = @model OR requested_model = @model)");
            command.Parameters.AddWithValue("model", model);
        }

        if (filter is { StatusFrom: { } statusFrom, StatusTo: { } statusTo })
        {
            where.Append(" AND status_code >= @status_from AND status_code < @status_to");
            command.Parameters.AddWithValue("status_from", statusFrom);
            command.Parameters.AddWithValue("status_to", statusTo);
        }

        var metadata = filter.Metadata ?? [];
        for (var i = 0; i < metadata.Count; i++)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND (metadata ->> @metadata_name_{i}) = @metadata_value_{i}");
            command.Parameters.AddWithValue($"metadata_name_{i}", metadata[i].Name);
            command.Parameters.AddWithValue($"metadata_value_{i}", metadata[i].Value);
        }

        return where;
    }

    /// <summary><c>AND {column} = @{column}</c> when the filter has a value; <paramref name="column"/> is always one of ours.</summary>
    private static void AddEquals(StringBuilder where, NpgsqlCommand command, string column, object? value)
    {
        if (value is not null)
        {
            where.Append(" AND ").Append(column).Append(" = @").Append(column);
            command.Parameters.AddWithValue(column, value);
        }
    }

    private static void AddBucket(NpgsqlCommand command, UsageBucket bucket)
    {
        // As microseconds, not days: an interval of '1 day' would follow the session's time zone across DST changes.
        var width = new NpgsqlInterval(0, 0, UsageBuckets.Width(bucket).Ticks / TimeSpan.TicksPerMicrosecond);
        command.Parameters.AddWithValue("width", width);
        command.Parameters.AddWithValue("origin", s_bucketOrigin);
    }

    private static T ReadFigures<T>(NpgsqlDataReader reader, int first, T row) where T : UsageFigures
    {
        var latency = reader.IsDBNull(first + 7) ? null : reader.GetFieldValue<int[]>(first + 7);
        var ttfb = reader.IsDBNull(first + 8) ? null : reader.GetFieldValue<int?[]>(first + 8);
        return row with
        {
            Requests = reader.GetInt64(first),
            Errors = reader.GetInt64(first + 1),
            CacheHits = reader.GetInt64(first + 2),
            PromptTokens = reader.GetInt64(first + 3),
            CompletionTokens = reader.GetInt64(first + 4),
            TotalTokens = reader.GetInt64(first + 5),
            CostUsd = Keys.Money.Trim(reader.GetDecimal(first + 6))!.Value,
            LatencyMsP50 = latency?[0],
            LatencyMsP95 = latency?[1],
            LatencyMsP99 = latency?[2],
            TtfbMsP50 = ttfb?[0],
            TtfbMsP95 = ttfb?[1],
        };
    }

    private static UsageRecordView ReadRecord(NpgsqlDataReader reader) => new(
        RequestId: reader.GetString(0),
        Timestamp: reader.GetFieldValue<DateTimeOffset>(1),
        KeyId: NullableString(reader, 2),
        KeyName: NullableString(reader, 3),
        RequestedModel: NullableString(reader, 4),
        ServedModel: NullableString(reader, 5),
        Target: NullableString(reader, 6),
        StatusCode: reader.GetInt32(7),
        ErrorCode: NullableString(reader, 8),
        Stream: reader.GetBoolean(9),
        Cached: reader.GetBoolean(10),
        PromptTokens: reader.GetInt32(11),
        CompletionTokens: reader.GetInt32(12),
        TotalTokens: reader.GetInt32(13),
        LatencyMs: reader.GetInt32(14),
        TtfbMs: reader.IsDBNull(15) ? null : reader.GetInt32(15),
        Retries: reader.GetInt32(16),
        ClientIp: NullableString(reader, 17),
        Metadata: reader.IsDBNull(18) ? null : JsonElement.Parse(reader.GetString(18)),
        CostUsd: Keys.Money.Trim(reader.GetDecimal(19))!.Value,
        PriceMissing: reader.GetBoolean(20),
        IngestedAt: reader.GetFieldValue<DateTimeOffset>(21),
        TraceId: NullableString(reader, 22),
        Path: NullableString(reader, 23),
        RequestBytes: reader.IsDBNull(24) ? null : reader.GetInt64(24),
        ResponseBytes: reader.IsDBNull(25) ? null : reader.GetInt64(25));

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
