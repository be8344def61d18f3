using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;

namespace AiPlatform.LedgerBench;

/// <summary>
/// Sustained ingestion: N senders each POST batches back to back for a fixed time, as N Gateways would; the rate is
/// the events Postgres accepted per second. Events look like real ones (keys, models, errors, streams, metadata on
/// one in ten); building each batch's JSON happens inside the loop, on the same CPUs, as a Gateway's would.
/// </summary>
public static class IngestionBenchmark
{
    private static readonly string[] s_models = ["gpt-4o-mini", "gpt-4o", "sim", "llama-local", "text-embedding-3-small", "gpt-4.1-mini"];
    private static readonly string[] s_keys = Enumerable.Range(0, 50).Select(i => new Guid(i + 1, 0, 0, new byte[8]).ToString()).ToArray();

    public static async Task RunAsync(HttpClient http, NpgsqlDataSource dataSource, BenchOptions options)
    {
        // Warm-up: JIT, connection pools, the month's partition.
        await RunOnceAsync(http, options.BatchSize, 1, TimeSpan.FromSeconds(3), "warmup");

        Console.WriteLine($"## Ingestion: POST /v1/usage/events, {options.BatchSize:N0} events per batch");
        Console.WriteLine();
        Console.WriteLine("| senders | batches | events | seconds | events/s | batch p50 ms | batch p95 ms | batch max ms |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        long accepted = 0;
        foreach (var concurrency in options.Concurrency)
        {
            var run = await RunOnceAsync(http, options.BatchSize, concurrency, options.Duration, $"c{concurrency}");
            accepted += run.Events;
            var sorted = run.Latencies.Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {concurrency} | {run.Latencies.Count:N0} | {run.Events:N0} | {run.Elapsed.TotalSeconds:0.0} | **{run.Events / run.Elapsed.TotalSeconds:N0}** | " +
                $"{LedgerBenchmark.Percentile(sorted, 0.5):0} | {LedgerBenchmark.Percentile(sorted, 0.95):0} | {sorted[^1]:0} |"));
        }

        // Exactness: every accepted event is one record (the warm-up's included).
        var records = await LedgerBenchmark.ScalarAsync<long>(dataSource, "SELECT count(*) FROM usage_records WHERE request_id NOT LIKE 'warmup-%'");
        Console.WriteLine();
        Console.WriteLine($"records in the ledger: {records:N0}, events accepted: {accepted:N0}{(records == accepted ? " (equal)" : " (MISMATCH)")}");
        Console.WriteLine();
    }

    private static async Task<Run> RunOnceAsync(HttpClient http, int batchSize, int concurrency, TimeSpan duration, string runId)
    {
        var latencies = new List<double>();
        long events = 0;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(sender => Task.Run(async () =>
        {
            var random = new Random(sender);
            for (var batch = 0; Stopwatch.GetTimestamp() < deadline; batch++)
            {
                var body = BuildBatch(random, $"{runId}-{sender}-{batch}", batchSize);
                var sent = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/v1/usage/events", content);
                var answer = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"Ingestion answered {(int)response.StatusCode}: {answer}");
                }

                var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                var count = JsonDocument.Parse(answer).RootElement.GetProperty("accepted").GetInt32();
                lock (latencies)
                {
                    latencies.Add(elapsed);
                    events += count;
                }
            }
        })));

        return new Run(events, Stopwatch.GetElapsedTime(started), latencies);
    }

    private static byte[] BuildBatch(Random random, string prefix, int size)
    {
        var buffer = new ArrayBufferWriter<byte>(size * 520);
        using var json = new Utf8JsonWriter(buffer);
        var now = DateTimeOffset.UtcNow;
        json.WriteStartObject();
        json.WriteStartArray("events");
        for (var i = 0; i < size; i++)
        {
            var model = s_models[random.Next(s_models.Length)];
            var key = random.Next(s_keys.Length);
            var roll = random.Next(100);
            var status = roll < 2 ? 429 : roll < 3 ? 502 : 200;
            var stream = random.Next(2) == 0;
            var prompt = random.Next(20, 3000);
            var completion = status == 200 ? random.Next(0, 800) : 0;
            json.WriteStartObject();
            json.WriteString("request_id", $"{prefix}-{i}");
            json.WriteString("timestamp", now.AddMilliseconds(-random.Next(1000)));
            json.WriteString("key_id", s_keys[key]);
            json.WriteString("key_name", $"app {key}");
            json.WriteString("requested_model", model);
            json.WriteString("served_model", model);
            json.WriteString("target", "http://127.0.0.1:8082");
            json.WriteNumber("status_code", status);
            if (status == 200)
            {
                json.WriteNull("error_code");
            }
            else
            {
                json.WriteString("error_code", status == 429 ? "rate_limit_exceeded" : "upstream_error");
            }

            json.WriteBoolean("stream", stream);
            json.WriteBoolean("cached", random.Next(20) == 0);
            json.WriteNumber("prompt_tokens", prompt);
            json.WriteNumber("completion_tokens", completion);
            json.WriteNumber("total_tokens", prompt + completion);
            json.WriteNumber("latency_ms", random.Next(40, 4000));
            if (stream)
            {
                json.WriteNumber("ttfb_ms", random.Next(10, 400));
            }
            else
            {
                json.WriteNull("ttfb_ms");
            }

            json.WriteNumber("retries", random.Next(10) == 0 ? 1 : 0);
            json.WriteString("client_ip", $"10.0.{key}.{random.Next(255)}");
            if (random.Next(10) == 0)
            {
                json.WriteStartObject("metadata");
                json.WriteString("team", "search");
                json.WriteString("trace_id", Guid.NewGuid().ToString("N"));
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("metadata");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private sealed record Run(long Events, TimeSpan Elapsed, List<double> Latencies);
}
