using AiPlatform.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiPlatform.Gateway.Routing;

/// <summary>
/// <c>GET /v1/admin/backends</c>: every model this replica serves with every target it may send it to (configured,
/// discovered, announced), each target's state, load and last minute, for the Dashboard's Backends page. Needs
/// <c>analytics:read</c> (or the master key), since it names internal addresses. It is this replica's view: each replica ejects and counts on its own.
/// </summary>
public static class BackendsEndpoints
{
    public static IEndpointRouteBuilder MapBackendsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/admin").RequireAdmin(AdminScopes.AnalyticsRead)
            .MapGet("/backends", ListBackends).WithName("ListBackends");
        return app;
    }

    private static JsonHttpResult<BackendList> ListBackends(ModelCatalog catalog, TimeProvider time)
    {
        var now = time.GetTimestamp();
        return TypedResults.Json(new BackendList("list", [.. catalog.Routes.Select(route => BackendModel.Of(route, now))]),
            BackendsJsonContext.Default.BackendList);
    }
}
