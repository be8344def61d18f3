using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Admin;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AiPlatform.UsageApi.Ledger;

/// <summary>Ingestion of the Gateways' usage events: a service's call, needing the <c>admin</c> scope (the Gateways send the master key).</summary>
public static class LedgerEndpoints
{
    public const string EventsRoute = "/v1/usage/events";

    public static IEndpointRouteBuilder MapLedgerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(EventsRoute, IngestEventsAsync)
            .RequireAdmin(AdminScopes.Admin)
            .WithMetadata(new RequestSizeLimitAttribute(UsageEventLimits.MaxBodyBytes))
            .WithTags("Usage")
            .WithName("IngestUsageEvents");
        return app;
    }

    /// <summary>
    /// Takes a batch <c>{"events": [...]}</c> (see <see cref="UsageEventParser"/>) and answers
    /// <c>{"accepted": new records, "duplicates": events already held}</c>. All or nothing: an invalid event refuses the
    /// batch (400 naming it), and a failure writing it leaves nothing behind, so the Gateway may simply send it again.
    /// </summary>
    public static async Task<Results<Ok<IngestResult>, ApiErrorResult>> IngestEventsAsync(
        HttpRequest request, [AsParameters] LedgerServices services, CancellationToken cancellationToken)
    {
        var (body, readError) = await JsonRequestBody.ReadAsync(request, cancellationToken);
        using var document = body;
        if (readError is not null)
        {
            return Refuse(services, readError);
        }

        if (!UsageEventParser.TryParse(document!.RootElement, out var events, out var error))
        {
            return Refuse(services, error);
        }

        return TypedResults.Ok(await services.Ledger.IngestAsync(events, cancellationToken));
    }

    private static ApiErrorResult Refuse(LedgerServices services, ApiError error)
    {
        LedgerLog.BatchRejected(services.Logger, error.Param, error.Message);
        return new ApiErrorResult(error);
    }
}

/// <summary>What the ledger handlers need, bound with <c>[AsParameters]</c>.</summary>
public sealed record LedgerServices(UsageLedger Ledger, ILogger<LedgerServices> Logger);
