using System.Globalization;
using System.Text.Json.Nodes;
using AiPlatform.Dashboard.Analytics;
using AiPlatform.Dashboard.Audit;

namespace AiPlatform.Dashboard.Admin;

/// <summary>
/// UsageApi's admin API, called with the signed-in person's own credential (from the sign-in cookie), so the Dashboard
/// can do no more than that credential allows and keeps no data of its own. One per circuit (scoped).
/// </summary>
public sealed class AdminApi(AdminHttp http)
{
    public const string HttpClientName = "usageapi-admin";

    public Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(UsageQuery query, string groupBy, CancellationToken cancellationToken) =>
        GetListAsync<UsageSummaryRow>($"/v1/usage/summary?{query.ToQueryString()}&group_by={groupBy}", cancellationToken);

    public Task<IReadOnlyList<UsageTimeseriesPoint>> TimeseriesAsync(UsageQuery query, string bucket, CancellationToken cancellationToken) =>
        GetListAsync<UsageTimeseriesPoint>($"/v1/usage/timeseries?{query.ToQueryString()}&bucket={bucket}", cancellationToken);

    public Task<UsageRecordPage> ListRecordsAsync(UsageQuery query, int limit, string? cursor, CancellationToken cancellationToken) =>
        SendAsync<UsageRecordPage>(HttpMethod.Get,
            $"/v1/usage/records?{query.ToQueryString()}&limit={limit.ToString(CultureInfo.InvariantCulture)}"
            + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)),
            null, cancellationToken);

    public Task<UsageRecord> GetRecordAsync(string requestId, CancellationToken cancellationToken) =>
        SendAsync<UsageRecord>(HttpMethod.Get, "/v1/usage/records/" + Uri.EscapeDataString(requestId), null, cancellationToken);

    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(bool includeRevoked, CancellationToken cancellationToken) =>
        GetListAsync<ApiKey>($"/v1/keys?include_revoked={(includeRevoked ? "true" : "false")}", cancellationToken);

    public Task<ApiKey> CreateKeyAsync(KeySettings settings, CancellationToken cancellationToken) =>
        SendAsync<ApiKey>(HttpMethod.Post, "/v1/keys", KeyChanges.ForCreate(settings), cancellationToken);

    public Task<ApiKey> UpdateKeyAsync(Guid id, JsonObject patch, CancellationToken cancellationToken) =>
        SendAsync<ApiKey>(HttpMethod.Patch, $"/v1/keys/{id}", patch, cancellationToken);

    public Task<ApiKey> RevokeKeyAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<ApiKey>(HttpMethod.Delete, $"/v1/keys/{id}", null, cancellationToken);

    public Task<KeySpend> GetSpendAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<KeySpend>(HttpMethod.Get, $"/v1/keys/{id}/spend", null, cancellationToken);

    public Task<IReadOnlyList<ModelPrice>> ListPricesAsync(CancellationToken cancellationToken) =>
        GetListAsync<ModelPrice>("/v1/prices", cancellationToken);

    public Task<ModelPrice> SetPriceAsync(string model, decimal inputPerMillionUsd, decimal outputPerMillionUsd, CancellationToken cancellationToken) =>
        SendAsync<ModelPrice>(HttpMethod.Put, "/v1/prices/" + Uri.EscapeDataString(model),
            new JsonObject { ["input_per_million_usd"] = inputPerMillionUsd, ["output_per_million_usd"] = outputPerMillionUsd },
            cancellationToken);

    public Task<IReadOnlyList<AdminToken>> ListAdminTokensAsync(bool includeRevoked, CancellationToken cancellationToken) =>
        GetListAsync<AdminToken>($"/v1/admin/tokens?include_revoked={(includeRevoked ? "true" : "false")}", cancellationToken);

    /// <summary>Makes a token; the answer's <see cref="AdminToken.Token"/> is the only time its value is ever seen.</summary>
    public Task<AdminToken> CreateAdminTokenAsync(NewAdminToken token, CancellationToken cancellationToken) =>
        SendAsync<AdminToken>(HttpMethod.Post, "/v1/admin/tokens", token.ToBody(), cancellationToken);

    public Task<AdminToken> RevokeAdminTokenAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<AdminToken>(HttpMethod.Delete, $"/v1/admin/tokens/{id}", null, cancellationToken);

    /// <summary>A page of the audit log, newest first, filtered by <paramref name="filters"/> (<c>GET /v1/audit</c>).</summary>
    public Task<AuditPage> ListAuditAsync(AuditFilters filters, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var query = filters.ToQueryString();
        return SendAsync<AuditPage>(HttpMethod.Get,
            $"/v1/audit?{query}{(query.Length == 0 ? "" : "&")}limit={limit.ToString(CultureInfo.InvariantCulture)}"
            + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)),
            null, cancellationToken);
    }

    private async Task<IReadOnlyList<T>> GetListAsync<T>(string path, CancellationToken cancellationToken) =>
        (await SendAsync<ListOf<T>>(HttpMethod.Get, path, null, cancellationToken)).Data;

    private Task<T> SendAsync<T>(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken) =>
        http.SendAsync<T>(HttpClientName, "UsageApi", method, path, body, cancellationToken);
}
