using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.ServiceDefaults.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiPlatform.UsageApi.Analytics;

/// <summary>
/// Read-only views of the ledger (the figures with <c>analytics:read</c>, the records with <c>logs:read</c>): the records themselves, one record with its payload, a summary
/// per group, and a time series for charts. Query parameters are described in <see cref="AnalyticsRequestParser"/>; <c>from</c>/<c>to</c>
/// default to the last 24 hours.
/// </summary>
public static class AnalyticsEndpoints
{
    public const string RoutePrefix = "/v1/usage";

    public static IEndpointRouteBuilder MapAnalyticsEndpoints(this IEndpointRouteBuilder app)
    {
        var usage = app.MapGroup(RoutePrefix).RequireAdmin(AdminScopes.AnalyticsRead).WithTags("Usage");

        usage.MapGet("/records", ListRecordsAsync).RequireAdminScope(AdminScopes.LogsRead).WithName("ListUsageRecords");
        usage.MapGet("/records/{requestId}", GetRecordAsync).RequireAdminScope(AdminScopes.LogsRead).WithName("GetUsageRecord");
        usage.MapGet("/summary", SummarizeAsync).WithName("SummarizeUsage");
        usage.MapGet("/timeseries", TimeseriesAsync).WithName("UsageTimeseries");

        return app;
    }

    /// <summary>
    /// <c>?from&amp;to&amp;key&amp;model&amp;status&amp;cached&amp;stream&amp;target&amp;path&amp;trace_id&amp;metadata.{name}&amp;limit&amp;cursor</c>:
    /// records newest first, a page at a time.
    /// </summary>
    public static async Task<Results<Ok<UsageRecordPage>, ApiErrorResult>> ListRecordsAsync(
        HttpRequest request, [AsParameters] AnalyticsServices services, CancellationToken cancellationToken)
    {
        if (!AnalyticsRequestParser.TryParseFilter(request.Query, services.Time.GetUtcNow(), out var filter, out var error)
            || !AnalyticsRequestParser.TryParsePage(request.Query, out var limit, out var cursor, out error))
        {
            return new ApiErrorResult(error);
        }

        return TypedResults.Ok(await services.Queries.ListRecordsAsync(filter, limit, cursor, cancellationToken));
    }

    /// <summary>
    /// One record with its payload (null when none was kept, or when the caller lacks <c>payloads:read</c>); 404 when no
    /// record has the request id.
    /// </summary>
    public static async Task<Results<Ok<UsageRecordDetail>, ApiErrorResult>> GetRecordAsync(
        string requestId, HttpContext context, [AsParameters] AnalyticsServices services, CancellationToken cancellationToken)
    {
        var withPayload = AdminScopes.Grants(AdminIdentity.Of(context).Scopes, AdminScopes.PayloadsRead);
        return await services.Queries.GetRecordAsync(requestId, cancellationToken) is { } record
            ? TypedResults.Ok(withPayload ? record : new UsageRecordDetail(record, payload: null))
            : new ApiErrorResult(ApiError.NotFound($"No usage record has the request id '{requestId}'.", ApiErrorCodes.NotFound, "request_id"));
    }

    /// <summary>
    /// <c>?from&amp;to&amp;group_by=model|key|day|hour|none</c> (and the record filters): the figures per group, with the time of
    /// each group's newest record.
    /// </summary>
    public static async Task<Results<Ok<UsageList<UsageSummaryRow>>, ApiErrorResult>> SummarizeAsync(
        HttpRequest request, [AsParameters] AnalyticsServices services, CancellationToken cancellationToken)
    {
        if (!AnalyticsRequestParser.TryParseFilter(request.Query, services.Time.GetUtcNow(), out var filter, out var error)
            || !AnalyticsRequestParser.TryParseGrouping(request.Query, out var grouping, out error))
        {
            return new ApiErrorResult(error);
        }

        return TypedResults.Ok(new UsageList<UsageSummaryRow>(await services.Queries.SummarizeAsync(filter, grouping, cancellationToken)));
    }

    /// <summary><c>?from&amp;to&amp;bucket=minute|hour|day</c> (and the record filters): the figures per time bucket.</summary>
    public static async Task<Results<Ok<UsageList<UsageTimeseriesPoint>>, ApiErrorResult>> TimeseriesAsync(
        HttpRequest request, [AsParameters] AnalyticsServices services, CancellationToken cancellationToken)
    {
        if (!AnalyticsRequestParser.TryParseFilter(request.Query, services.Time.GetUtcNow(), out var filter, out var error)
            || !AnalyticsRequestParser.TryParseBucket(request.Query, filter, out var bucket, out error))
        {
            return new ApiErrorResult(error);
        }

        return TypedResults.Ok(new UsageList<UsageTimeseriesPoint>(await services.Queries.TimeseriesAsync(filter, bucket, cancellationToken)));
    }
}

/// <summary>What the analytics handlers need, bound with <c>[AsParameters]</c>.</summary>
public sealed record AnalyticsServices(UsageQueries Queries, TimeProvider Time);
