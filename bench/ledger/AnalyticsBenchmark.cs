using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace AiPlatform.LedgerBench;

/// <summary>
/// Analytics query latency: replaces the ledger with <see cref="BenchOptions.Records"/> generated records (SQL
/// <c>generate_series</c>) spread evenly over the last <see cref="BenchOptions.Days"/> days, then times each query
/// through HTTP, <see cref="BenchOptions.Runs"/> times after two untimed runs.
/// </summary>
public static class AnalyticsBenchmark
{
    // Six models (one without a price), 50 keys (UUIDs), 2% 429s and 1% 502s, half streamed with a TTFB, 5% cached,
    // metadata on one record in ten: the shape of the ingestion benchmark's events.
    private const string GenerateSql = """
        INSERT INTO usage_records (request_id, "timestamp", key_id, key_name, requested_model, served_model, target, status_code,
                                   error_code, stream, cached, prompt_tokens, completion_tokens, total_tokens, latency_ms, ttfb_ms,
                                   retries, client_ip, metadata, cost_usd, price_missing, ingested_at)
        SELECT 'gen-' || g,
               @now - (g::float8 / @records) * (@days * interval '1 day'),
               md5('key' || (g % 50))::uuid::text, 'app ' || (g % 50),
               m.model, m.model, 'http://127.0.0.1:8082',
               s.status, CASE s.status WHEN 429 THEN 'rate_limit_exceeded' WHEN 502 THEN 'upstream_error' END,
               g % 2 = 0, g % 20 = 0,
               t.prompt, t.completion, t.prompt + t.completion,
               (40 + random() * 3960)::int, CASE WHEN g % 2 = 0 THEN (10 + random() * 390)::int END,
               (g % 10 = 0)::int, '10.0.' || (g % 50) || '.' || (g % 255),
               CASE WHEN g % 10 = 0 THEN jsonb_build_object('team', 'search', 'n', g) END,
               CASE WHEN g % 20 = 0 OR m.model IN ('sim', 'llama-local') THEN 0
                    ELSE (t.prompt * 0.15 + t.completion * 0.6) / 1000000 END,
               m.model = 'llama-local', @now
        FROM generate_series(1, @records) AS g
        CROSS JOIN LATERAL (SELECT (ARRAY['gpt-4o-mini', 'gpt-4o', 'sim', 'llama-local', 'text-embedding-3-small', 'gpt-4.1-mini'])[1 + g % 6] AS model) m
        CROSS JOIN LATERAL (SELECT CASE WHEN g % 50 = 7 THEN 429 WHEN g % 100 = 13 THEN 502 ELSE 200 END AS status) s
        CROSS JOIN LATERAL (SELECT (20 + random() * 2980)::int AS prompt, CASE WHEN s.status = 200 THEN (random() * 800)::int ELSE 0 END AS completion) t
        """;

    public static async Task RunAsync(HttpClient http, NpgsqlDataSource dataSource, BenchOptions options)
    {
        var now = DateTimeOffset.UtcNow;
        var from = now.AddDays(-options.Days);
        var generated = Stopwatch.GetTimestamp();
        await LedgerBenchmark.ExecuteAsync(dataSource, "TRUNCATE usage_records");
        for (var month = new DateTimeOffset(from.Year, from.Month, 1, 0, 0, 0, TimeSpan.Zero); month <= now; month = month.AddMonths(1))
        {
            await LedgerBenchmark.ExecuteAsync(dataSource, "SELECT usage_records_ensure_partition(@month)", ("month", month));
        }

        await LedgerBenchmark.ExecuteAsync(dataSource, GenerateSql, ("now", now), ("records", options.Records), ("days", (double)options.Days));
        await LedgerBenchmark.ExecuteAsync(dataSource, "VACUUM ANALYZE usage_records");
        var size = await LedgerBenchmark.ScalarAsync<string>(dataSource,
            "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'usage_records'::regclass");

        Console.WriteLine($"## Analytics over {options.Records:N0} records ({options.Days} days, {size} with indexes; generated in " +
            $"{Stopwatch.GetElapsedTime(generated).TotalSeconds:0} s)");
        Console.WriteLine();
        Console.WriteLine($"Each query through HTTP (JSON included), {options.Runs} timed runs after 2 untimed ones; \"24 h\" covers " +
            $"~{options.Records / options.Days:N0} records, \"{options.Days} d\" all of them.");
        Console.WriteLine();
        Console.WriteLine("| query | rows out | p50 ms | p95 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");

        // Generated times are all before now (exclusive end) and the oldest is exactly now - days (inclusive start).
        var week = $"from={Iso(from)}&to={Iso(now)}";
        var day = $"from={Iso(now.AddDays(-1))}&to={Iso(now)}";
        // Key 10: 2% of the records, with cached ones among them (every 20th record is cached).
        var key = await LedgerBenchmark.ScalarAsync<string>(dataSource, "SELECT md5('key10')::uuid::text");
        var deepPage = Math.Max(1, Math.Min(100, options.Records / 2000));
        var deepCursor = await CursorAfterPagesAsync(http, $"/v1/usage/records?{week}&limit=1000", deepPage);

        (string Name, string Uri)[] queries =
        [
            ("records: newest page (limit 100, last 24 h)", "/v1/usage/records"),
            ($"records: page {deepPage + 1} of {options.Days} d via cursor (limit 1000)", $"/v1/usage/records?{week}&limit=1000&cursor={Uri.EscapeDataString(deepCursor)}"),
            ($"records: key filter, {options.Days} d (limit 100)", $"/v1/usage/records?{week}&key={key}"),
            ($"records: model filter, {options.Days} d (limit 100)", $"/v1/usage/records?{week}&model=gpt-4o"),
            ($"records: status=5xx, {options.Days} d (limit 100)", $"/v1/usage/records?{week}&status=5xx"),
            ($"records: key + cached=true, {options.Days} d (limit 1000)", $"/v1/usage/records?{week}&key={key}&cached=true&limit=1000"),
            ("summary: group_by=model, 24 h", $"/v1/usage/summary?{day}&group_by=model"),
            ("summary: group_by=hour, 24 h", $"/v1/usage/summary?{day}&group_by=hour"),
            ($"summary: group_by=model, {options.Days} d", $"/v1/usage/summary?{week}&group_by=model"),
            ($"summary: group_by=key, {options.Days} d", $"/v1/usage/summary?{week}&group_by=key"),
            ($"summary: group_by=day, {options.Days} d", $"/v1/usage/summary?{week}&group_by=day"),
            ($"summary: group_by=model, one key, {options.Days} d", $"/v1/usage/summary?{week}&group_by=model&key={key}"),
            ("timeseries: bucket=minute, 24 h", $"/v1/usage/timeseries?{day}&bucket=minute"),
            ("timeseries: bucket=hour, 24 h", $"/v1/usage/timeseries?{day}&bucket=hour"),
            ($"timeseries: bucket=hour, {options.Days} d", $"/v1/usage/timeseries?{week}&bucket=hour"),
            ($"timeseries: bucket=day, {options.Days} d", $"/v1/usage/timeseries?{week}&bucket=day"),
            ($"timeseries: bucket=hour, one model, {options.Days} d", $"/v1/usage/timeseries?{week}&bucket=hour&model=gpt-4o"),
            ($"timeseries: bucket=hour, one key, {options.Days} d", $"/v1/usage/timeseries?{week}&bucket=hour&key={key}"),
        ];

        foreach (var (name, uri) in queries)
        {
            var timings = new List<double>();
            var rows = 0;
            for (var run = -2; run < options.Runs; run++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(uri);
                var body = await response.Content.ReadAsStringAsync();
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{uri} answered {(int)response.StatusCode}: {body}");
                }

                rows = JsonDocument.Parse(body).RootElement.GetProperty("data").GetArrayLength();
                if (run >= 0)
                {
                    timings.Add(elapsed);
                }
            }

            timings.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {rows:N0} | {LedgerBenchmark.Percentile(timings, 0.5):0.0} | **{LedgerBenchmark.Percentile(timings, 0.95):0.0}** | {timings[^1]:0.0} |"));
        }

        Console.WriteLine();
    }

    private static async Task<string> CursorAfterPagesAsync(HttpClient http, string uri, int pages)
    {
        string? cursor = null;
        for (var page = 0; page < pages; page++)
        {
            var body = JsonDocument.Parse(await http.GetStringAsync(uri + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")));
            cursor = body.RootElement.GetProperty("next_cursor").GetString() ?? throw new InvalidOperationException($"Fewer than {pages} pages.");
        }

        return cursor!;
    }

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
}
