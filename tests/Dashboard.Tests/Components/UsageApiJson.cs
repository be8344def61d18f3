namespace AiPlatform.Dashboard.Tests.Components;

/// <summary>
/// UsageApi's and the Gateway's JSON objects as they write them (snake_case, every field present), for
/// <see cref="FakeServices"/> to answer with. Only what a test cares about is a parameter.
/// </summary>
public static class UsageApiJson
{
    public const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    public static object Key(
        Guid id, string name, int? rpm = null, int? tpm = null, decimal? budgetUsd = null, string? budgetPeriod = null,
        string[]? models = null, DateTimeOffset? expiresAt = null, bool logPayloads = false, DateTimeOffset? revokedAt = null, string? key = null) =>
        new Dictionary<string, object?>
        {
            ["id"] = id,
            // Only the answer to a creation carries the key itself; UsageApi leaves the field out otherwise.
            ["key"] = key,
            ["key_prefix"] = "aig-" + id.ToString("N")[..6],
            ["name"] = name,
            ["rpm"] = rpm,
            ["tpm"] = tpm,
            ["budget_usd"] = budgetUsd,
            ["budget_period"] = budgetPeriod,
            ["models"] = models ?? [],
            ["expires_at"] = expiresAt,
            ["metadata"] = new { },
            ["cache_namespace"] = null,
            ["log_payloads"] = logPayloads,
            ["created_at"] = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero),
            ["revoked_at"] = revokedAt,
        }.Where(field => field.Key != "key" || key is not null).ToDictionary();

    public static object Spend(Guid id, decimal spentUsd, decimal? budgetUsd = null, string? budgetPeriod = null) => new
    {
        key_id = id,
        budget_usd = budgetUsd,
        budget_period = budgetPeriod,
        period = budgetPeriod switch { "daily" => "2026-03-10", "monthly" => "2026-03", _ => "lifetime" },
        spent_usd = spentUsd,
        spent_usd_fast = spentUsd,
    };

    /// <summary>A group of <c>/v1/usage/summary</c>.</summary>
    public static object Summary(
        string? group, long requests, long errors = 0, long cacheHits = 0, long promptTokens = 0, long completionTokens = 0, decimal costUsd = 0,
        int? p50 = null, int? p95 = null, int? p99 = null, int? ttfbP50 = null, int? ttfbP95 = null, DateTimeOffset? lastRequestAt = null) => new
        {
            group,
            requests,
            errors,
            cache_hits = cacheHits,
            prompt_tokens = promptTokens,
            completion_tokens = completionTokens,
            total_tokens = promptTokens + completionTokens,
            cost_usd = costUsd,
            latency_ms_p50 = p50,
            latency_ms_p95 = p95,
            latency_ms_p99 = p99,
            ttfb_ms_p50 = ttfbP50,
            ttfb_ms_p95 = ttfbP95,
            last_request_at = lastRequestAt ?? new DateTimeOffset(2026, 3, 10, 11, 0, 0, TimeSpan.Zero),
        };

    /// <summary>A bucket of <c>/v1/usage/timeseries</c>.</summary>
    public static object Point(DateTimeOffset bucket, long requests, long errors = 0) => new
    {
        bucket,
        requests,
        errors,
        cache_hits = 0,
        prompt_tokens = requests * 10,
        completion_tokens = requests * 20,
        total_tokens = requests * 30,
        cost_usd = requests * 0.0001m,
        latency_ms_p50 = (int?)800,
        latency_ms_p95 = (int?)1_200,
        latency_ms_p99 = (int?)2_000,
        ttfb_ms_p50 = (int?)null,
        ttfb_ms_p95 = (int?)null,
    };

    /// <summary>A ledger record of <c>/v1/usage/records</c>; with <paramref name="payload"/>, as <c>/v1/usage/records/{id}</c> shows it.</summary>
    public static object Record(
        string requestId, DateTimeOffset timestamp, string model = "sim", int statusCode = 200, string? errorCode = null, bool stream = false,
        bool cached = false, string? traceId = TraceId, object? metadata = null, bool withPayload = false, object? payload = null,
        string? path = "/v1/chat/completions", long? requestBytes = null, long? responseBytes = null)
    {
        var record = new Dictionary<string, object?>
        {
            ["request_id"] = requestId,
            ["timestamp"] = timestamp,
            ["key_id"] = "0b6f0c52-9a43-4c29-9d8e-5a7c1f0e2b31",
            ["key_name"] = "ci",
            ["requested_model"] = model,
            ["served_model"] = model,
            ["target"] = "worker-1",
            ["status_code"] = statusCode,
            ["error_code"] = errorCode,
            ["stream"] = stream,
            ["cached"] = cached,
            ["prompt_tokens"] = 1_200,
            ["completion_tokens"] = 34,
            ["total_tokens"] = 1_234,
            ["latency_ms"] = 1_250,
            ["ttfb_ms"] = 120,
            ["retries"] = 0,
            ["client_ip"] = "10.0.0.7",
            ["metadata"] = metadata,
            ["cost_usd"] = 0.000123m,
            ["price_missing"] = false,
            ["ingested_at"] = timestamp.AddSeconds(1),
            ["trace_id"] = traceId,
            ["path"] = path,
            ["request_bytes"] = requestBytes,
            ["response_bytes"] = responseBytes,
        };
        if (withPayload)
        {
            record["payload"] = payload;
        }

        return record;
    }

    /// <summary>A page of records: <c>{"object": "list", "data": [...], "next_cursor": ...}</c>.</summary>
    public static HttpResponseMessage RecordPage(string? nextCursor, params object[] records) =>
        FakeServices.Json(new { @object = "list", data = records, next_cursor = nextCursor });

    /// <summary>An admin token of <c>/v1/admin/tokens</c>, made by the master key; <paramref name="token"/> only as its creation answers.</summary>
    public static object AdminToken(
        Guid id, string name, string[] scopes, DateTimeOffset expiresAt, DateTimeOffset? lastUsedAt = null, DateTimeOffset? revokedAt = null,
        string? token = null) =>
        new Dictionary<string, object?>
        {
            ["object"] = "admin.token",
            ["id"] = id,
            ["token"] = token,
            ["token_prefix"] = "sk-aig-admin-" + id.ToString("N")[..4],
            ["name"] = name,
            ["scopes"] = scopes,
            ["created_at"] = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero),
            ["expires_at"] = expiresAt,
            ["last_used_at"] = lastUsedAt,
            ["revoked_at"] = revokedAt,
            ["created_by"] = new { kind = "master", id = (string?)null, name = "master key" },
        }.Where(field => field.Key != "token" || token is not null).ToDictionary();

    /// <summary>An entry of <c>GET /v1/audit</c>; by the master key from 10.0.0.7 unless a test says otherwise.</summary>
    public static object AuditEntry(
        string id, DateTimeOffset at, string action, string targetType, string targetId, object? before = null, object? after = null,
        string actorKind = "master", string? actorId = null, string actorName = "master key") => new
        {
            id,
            @object = "audit.entry",
            at,
            actor = new { kind = actorKind, id = actorId, name = actorName },
            client_address = "10.0.0.7",
            action,
            target = new { type = targetType, id = targetId },
            before,
            after,
        };

    /// <summary>A page of <c>GET /v1/audit</c>: <c>{"object": "list", "data": [...], "has_more": ..., "next_cursor": ...}</c>.</summary>
    public static HttpResponseMessage AuditPage(string? nextCursor, params object[] entries) =>
        FakeServices.Json(new { @object = "list", data = entries, has_more = nextCursor is not null, next_cursor = nextCursor });
}
