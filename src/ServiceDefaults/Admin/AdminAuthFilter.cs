using AiPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>
/// Endpoint filter of every admin endpoint (UsageApi's admin API, the Gateway's <c>/v1/admin</c>). Lets a request through
/// with the master key or an admin token whose scopes open the endpoint (<see cref="AdminScopeRequirement"/>), and puts
/// who it is on the request (<see cref="AdminIdentity.Of"/>). Otherwise it answers before the handler reads anything:
/// 401 for a missing, wrong, expired or revoked credential (counted per client address, see
/// <see cref="FailedAdminAuthLimiter"/>), 429 with <c>Retry-After</c> once the address is over the limit, valid
/// credential or not, 403 for a missing scope, 503 when tokens cannot be checked.
/// </summary>
public sealed class AdminAuthFilter(
    MasterKeyVerifier masterKey, IAdminTokenResolver tokens, FailedAdminAuthLimiter limiter, AdminClientAddress clientAddress,
    ILogger<AdminAuthFilter> logger) : IEndpointFilter
{
    private static readonly ApiError s_unauthorized = ApiError.Unauthorized(
        "Incorrect, expired or revoked admin credential. The admin API expects 'Authorization: Bearer <admin token or master key>'.");

    private static readonly ApiError s_tooManyFailures = new(StatusCodes.Status429TooManyRequests,
        "Too many failed admin authentications from your address; try again later.", ApiErrorTypes.RateLimit, ApiErrorCodes.RateLimitExceeded);

    private static readonly ApiError s_unavailable = new(StatusCodes.Status503ServiceUnavailable,
        "Admin tokens cannot be checked right now; try again shortly.", ApiErrorTypes.Server, "auth_unavailable");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var required = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<AdminScopeRequirement>() ?? AdminScopeRequirement.AdminOnly;
        return await AuthorizeAsync(context.HttpContext, required) ?? await next(context);
    }

    /// <summary>
    /// The filter's whole check, for a path that is no minimal API endpoint (the Prometheus exporter's): null when the
    /// request may go on (with its <see cref="AdminIdentity"/> set), otherwise the refusal to write.
    /// </summary>
    public async ValueTask<ApiErrorResult?> AuthorizeAsync(HttpContext http, AdminScopeRequirement required)
    {
        var address = clientAddress.Of(http);
        if (limiter.IsBlocked(address, out var remaining))
        {
            return new ApiErrorResult(s_tooManyFailures, remaining);
        }

        AdminIdentity? identity;
        try
        {
            identity = await AuthenticateAsync(http.Request.Headers.Authorization, http.RequestAborted);
        }
        catch (AdminTokensUnavailableException ex)
        {
            AdminLog.TokensUnavailable(logger, ex.Message);
            return new ApiErrorResult(s_unavailable, TimeSpan.FromSeconds(1));
        }

        if (identity is null)
        {
            AdminLog.Rejected(logger, http.Request.Method, http.Request.Path, address,
                http.Request.Headers.Authorization.Count == 0 ? "no Authorization header" : "wrong, expired, revoked or malformed credentials");
            if (await limiter.FailedAsync(address) is { } blockedFor)
            {
                return new ApiErrorResult(s_tooManyFailures, blockedFor);
            }

            // RFC 9110 §15.5.2: a 401 names the scheme it wants.
            http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
            return new ApiErrorResult(s_unauthorized);
        }

        if (!AdminScopes.GrantsAny(identity.Scopes, required.AnyOf))
        {
            AdminLog.Forbidden(logger, http.Request.Method, http.Request.Path, identity.Kind, identity.Name, required.ToString());
            return new ApiErrorResult(new ApiError(StatusCodes.Status403Forbidden,
                $"This admin token lacks the scope this endpoint needs: {required}. It has: {string.Join(", ", identity.Scopes)}.",
                ApiErrorTypes.Permission, ApiErrorCodes.InsufficientScope));
        }

        http.Features.Set(identity);
        http.Features.Set(new AdminCallerAddress(address));
        return null;
    }

    private async ValueTask<AdminIdentity?> AuthenticateAsync(StringValues authorization, CancellationToken cancellationToken)
    {
        if (!MasterKeyVerifier.TryReadBearer(authorization, out var credential))
        {
            return null;
        }

        if (masterKey.IsMasterKey(credential))
        {
            return AdminIdentity.Master;
        }

        return AdminTokenFormat.IsWellFormed(credential) ? await tokens.ResolveAsync(credential, cancellationToken) : null;
    }
}

/// <summary>The client address the admin filter counted the request under (see <see cref="AdminClientAddress"/>).</summary>
public sealed record AdminCallerAddress(string Value)
{
    public static string Of(HttpContext context) =>
        context.Features.Get<AdminCallerAddress>()?.Value ?? throw new InvalidOperationException("This endpoint is not behind the admin filter.");
}
