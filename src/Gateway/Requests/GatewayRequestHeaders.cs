using System.Globalization;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Resilience;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Requests;

/// <summary>The Gateway's own request headers that bound forwarding.</summary>
internal static class GatewayRequestHeaders
{
    /// <summary><c>aig-request-timeout</c>: seconds (fractions allowed) the caller is willing to wait for the answer to start, retries included.</summary>
    public static bool TryReadRequestTimeout(HttpRequest request, out TimeSpan? timeout, out ApiError error)
    {
        timeout = null;
        error = null!;
        var header = request.Headers[GatewayHeaders.RequestTimeout];
        if (header.Count == 0)
        {
            return true;
        }

        if (double.TryParse(header.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 86_400
            && TimeSpan.FromSeconds(seconds) is { Ticks: > 0 } accepted)
        {
            // 1e-300 is above 0 but rounds to no time at all, which would time the request out at once (a 504).
            timeout = accepted;
            return true;
        }

        error = ApiError.BadRequest($"Header '{GatewayHeaders.RequestTimeout}' must be a number of seconds greater than 0.", GatewayHeaders.RequestTimeout);
        return false;
    }

    /// <summary>
    /// <c>aig-max-attempts</c>: how many attempts (first try, retries and fallbacks together) the caller allows, from 1
    /// (no retry) up to <c>Gateway:Resilience:MaxAttempts</c>; the configured default when absent.
    /// </summary>
    public static bool TryReadMaxAttempts(HttpRequest request, ResilienceOptions settings, out int attempts, out ApiError error)
    {
        attempts = settings.DefaultAttempts;
        error = null!;
        var header = request.Headers[GatewayHeaders.MaxAttempts];
        if (header.Count == 0)
        {
            return true;
        }

        if (int.TryParse(header.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out attempts) && attempts >= 1 && attempts <= settings.MaxAttempts)
        {
            return true;
        }

        error = ApiError.BadRequest($"Header '{GatewayHeaders.MaxAttempts}' must be a whole number from 1 to {settings.MaxAttempts}.", GatewayHeaders.MaxAttempts);
        return false;
    }
}
