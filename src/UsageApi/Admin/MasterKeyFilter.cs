using AiPlatform.ServiceDefaults.Errors;
using Microsoft.Net.Http.Headers;

namespace AiPlatform.UsageApi.Admin;

/// <summary>
/// Endpoint filter of the admin API: lets a request through only with the master key as its Bearer token, and
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
        // Two Authorization headers are ambiguous: refuse rather than pick one.
        if (authorization.Count <= 1 && verifier.IsAuthorized(authorization.ToString()))
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
