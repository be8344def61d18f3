using AiPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace AiPlatform.ServiceDefaults.Admin;

/// <summary>
/// Endpoint filter of the admin endpoints (UsageApi's admin API, the Gateway's <c>/v1/admin</c>): lets a request through
/// only with the master key as its Bearer token (see <see cref="MasterKeyVerifier"/>, which the service registers), and
/// otherwise answers 401 <c>invalid_api_key</c> in OpenAI's shape before the handler reads anything.
/// </summary>
public sealed class MasterKeyFilter(MasterKeyVerifier verifier, ILogger<MasterKeyFilter> logger) : IEndpointFilter
{
    private static readonly ApiErrorResult s_unauthorized = new(ApiError.Unauthorized(
        "Incorrect or missing master key. The admin API expects 'Authorization: Bearer <AIPLATFORM_MASTER_KEY>'."));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var authorization = http.Request.Headers.Authorization;
        if (verifier.IsAuthorized(authorization))
        {
            return next(context);
        }

        AdminLog.MasterKeyRejected(logger, http.Request.Method, http.Request.Path,
            authorization.Count == 0 ? "no Authorization header" : "wrong or malformed credentials");
        // RFC 9110 §15.5.2: a 401 names the scheme it wants.
        http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return ValueTask.FromResult<object?>(s_unauthorized);
    }
}

public static class MasterKeyFilterExtensions
{
    /// <summary>Requires the master key on every endpoint of <paramref name="builder"/> (see <see cref="MasterKeyFilter"/>).</summary>
    public static TBuilder RequireMasterKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, MasterKeyFilter>();
}
