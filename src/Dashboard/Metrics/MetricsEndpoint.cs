using AiPlatform.Dashboard.SignIn;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.ServiceDefaults.Telemetry;
using Microsoft.Net.Http.Headers;

namespace AiPlatform.Dashboard.Metrics;

/// <summary>
/// The Dashboard's <c>/metrics</c> (Prometheus text) for the same credential as the other services' — an admin token
/// with <c>analytics:read</c> or the master key as a bearer — checked the way sign-in checks one: by asking UsageApi,
/// since the Dashboard keeps no key of its own. Outside the sign-in cookie: a scraper has none.
/// </summary>
public static class MetricsEndpoint
{
    private static readonly ApiError s_unauthorized = ApiError.Unauthorized(
        "Incorrect, expired or revoked admin credential. /metrics expects 'Authorization: Bearer <admin token or master key>'.");

    private static readonly ApiError s_unavailable = new(StatusCodes.Status503ServiceUnavailable,
        "Admin credentials cannot be checked right now; try again shortly.", ApiErrorTypes.Server, "auth_unavailable");

    public static IEndpointConventionBuilder MapDashboardMetrics(this WebApplication app) =>
        app.MapGuardedPrometheusMetrics(RefusalOfAsync).AllowAnonymous();

    private static async Task<IResult?> RefusalOfAsync(HttpContext context)
    {
        if (!MasterKeyVerifier.TryReadBearer(context.Request.Headers.Authorization, out var credential))
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
            return new ApiErrorResult(s_unauthorized);
        }

        var validator = context.RequestServices.GetRequiredService<AdminCredentialValidator>();
        var check = await validator.CheckAsync(credential, context.Connection.RemoteIpAddress?.ToString() ?? "", context.RequestAborted);
        switch (check.Status)
        {
            case CredentialStatus.Valid when check.Identity!.Grants(AdminScopes.AnalyticsRead):
                return null;
            case CredentialStatus.Valid:
                return new ApiErrorResult(new ApiError(StatusCodes.Status403Forbidden,
                    $"This admin token lacks the scope /metrics needs: {AdminScopes.AnalyticsRead}.", ApiErrorTypes.Permission, ApiErrorCodes.InsufficientScope));
            case CredentialStatus.Throttled:
                return new ApiErrorResult(new ApiError(StatusCodes.Status429TooManyRequests,
                    "Too many failed admin authentications from your address; try again later.", ApiErrorTypes.RateLimit, ApiErrorCodes.RateLimitExceeded),
                    check.RetryAfter ?? TimeSpan.FromMinutes(1));
            case CredentialStatus.Invalid:
                context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
                return new ApiErrorResult(s_unauthorized);
            default:
                return new ApiErrorResult(s_unavailable, TimeSpan.FromSeconds(1));
        }
    }
}
