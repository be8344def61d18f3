using System.Net;
using System.Net.Http.Headers;

namespace AiPlatform.Dashboard.SignIn;

public enum CredentialCheck
{
    Valid,
    Invalid,

    /// <summary>UsageApi could not say: it is down or answered something else.</summary>
    Unavailable,
}

/// <summary>Asks UsageApi's admin API whether a credential opens it; the Dashboard keeps no list of its own.</summary>
public sealed class AdminCredentialValidator(IHttpClientFactory httpClientFactory, ILogger<AdminCredentialValidator> logger)
{
    public const string HttpClientName = "usageapi-admin";

    public async Task<CredentialCheck> CheckAsync(string credential, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/prices");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        try
        {
            using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => CredentialCheck.Valid,
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => CredentialCheck.Invalid,
                _ => Unavailable((int)response.StatusCode),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Unavailable(ex.GetType().Name);
        }
    }

    private CredentialCheck Unavailable(object reason)
    {
        SignInLog.UsageApiUnavailable(logger, reason.ToString()!);
        return CredentialCheck.Unavailable;
    }
}
