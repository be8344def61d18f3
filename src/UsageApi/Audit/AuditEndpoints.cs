using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiPlatform.UsageApi.Audit;

/// <summary>
/// <c>GET /v1/audit</c>: the audit log, read-only. Entries are written only by the changes they record, and no endpoint
/// changes or deletes one (other methods on the route answer 405).
/// </summary>
public static class AuditEndpoints
{
    public const string Route = "/v1/audit";

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, ListAuditAsync).RequireAdmin(AdminScopes.AuditRead).WithTags("Audit").WithName("ListAudit");
        return app;
    }

    public static async Task<Results<Ok<AuditPage>, ApiErrorResult>> ListAuditAsync(
        HttpRequest request, AuditStore store, CancellationToken cancellationToken)
    {
        if (!AuditQuery.TryParse(request.Query, out var query, out var error))
        {
            return new ApiErrorResult(error);
        }

        return TypedResults.Ok(await store.ListAsync(query, cancellationToken));
    }
}
