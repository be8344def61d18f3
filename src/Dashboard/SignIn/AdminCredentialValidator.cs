using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AiPlatform.Dashboard.Admin;

namespace AiPlatform.Dashboard.SignIn;

public enum CredentialStatus
{
    Valid,
    Invalid,

    /// <summary>UsageApi refuses to check more credentials from this address for a while.</summary>
    Throttled,

    /// <summary>UsageApi could not say: it is down or answered something else.</summary>
    Unavailable,
}

/// <summary>What UsageApi said of a credential: who it is when valid, how long to wait when throttled.</summary>
public sealed record CredentialCheck(CredentialStatus Status, SignedInAdmin? Identity = null, TimeSpan? RetryAfter = null);

/// <summary>
/// Asks UsageApi who a credential is (<c>GET /v1/admin/me</c>): an admin token with its scopes, or the master key. The
/// Dashboard keeps no list of its own.
/// </summary>
public sealed class AdminCredentialValidator(
    IHttpClientFactory httpClientFactory, ForwardedClient forwarded, TimeProvider time, ILogger<AdminCredentialValidator> logger)
{
    public const string HttpClientName = "usageapi-signin";

    /// <param name="credential">What the person typed.</param>
    /// <param name="clientAddress">The browser's address, forwarded to UsageApi (see <see cref="ForwardedClient"/>).</param>
    /// <param name="cancellationToken">The sign-in request's.</param>
    public async Task<CredentialCheck> CheckAsync(string credential, string clientAddress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        forwarded.Apply(request, clientAddress);
        try
        {
            using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => await IdentityOfAsync(response, cancellationToken),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new CredentialCheck(CredentialStatus.Invalid),
                HttpStatusCode.TooManyRequests => new CredentialCheck(CredentialStatus.Throttled, RetryAfter: RetryAfter(response.Headers.RetryAfter)),
                _ => Unavailable((int)response.StatusCode),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Unavailable(ex.GetType().Name);
        }
    }

    private async Task<CredentialCheck> IdentityOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // A field left out reads as null whatever its type says: check what the identity cannot do without.
            var identity = await response.Content.ReadFromJsonAsync<SignedInAdmin>(AdminJson.Options, cancellationToken);
            return identity is { Kind: not null, Name: not null, Scopes: not null }
                ? new CredentialCheck(CredentialStatus.Valid, identity)
                : Unavailable("an identity without kind, name or scopes");
        }
        catch (JsonException)
        {
            return Unavailable("something other than its JSON");
        }
    }

    /// <summary>The wait UsageApi asks for (seconds or a date); a minute when it names none.</summary>
    private TimeSpan RetryAfter(RetryConditionHeaderValue? retryAfter)
    {
        var wait = retryAfter?.Delta ?? retryAfter?.Date - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait.Value : TimeSpan.FromMinutes(1);
    }

    private CredentialCheck Unavailable(object reason)
    {
        SignInLog.UsageApiUnavailable(logger, reason.ToString()!);
        return new CredentialCheck(CredentialStatus.Unavailable);
    }
}
