using System.Text.Json.Serialization;
using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.Gateway.Auth;

/// <summary>
/// The Gateway's <see cref="IAdminTokenResolver"/>: asks UsageApi, which keeps the admin tokens, with the master key
/// (<c>POST /v1/admin/introspect</c>). Never cached, so that a revocation holds from the next request; only the admin
/// endpoints ask, never the inference path. A wrong token is the Gateway's failed attempt (counted per client address
/// here), not UsageApi's: the Gateway authenticates to UsageApi with the master key, so guesses relayed through it
/// cannot block the Gateway there.
/// </summary>
public sealed class AdminTokenIntrospection(IHttpClientFactory httpClientFactory) : IAdminTokenResolver
{
    public const string HttpClientName = "usageapi-introspection";

    public async ValueTask<AdminIdentity?> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        IntrospectionAnswer? answer;
        try
        {
            using var response = await httpClientFactory.CreateClient(HttpClientName).PostAsJsonAsync(
                new Uri("/v1/admin/introspect", UriKind.Relative), new IntrospectionRequest(token), IntrospectionJsonContext.Default.IntrospectionRequest,
                cancellationToken);
            response.EnsureSuccessStatusCode();
            answer = await response.Content.ReadFromJsonAsync(IntrospectionJsonContext.Default.IntrospectionAnswer, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException
            || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new AdminTokensUnavailableException("UsageApi cannot introspect admin tokens: " + ex.GetType().Name, ex);
        }

        return answer is { Active: true, Id: { } id, Name: { } name, Scopes: { } scopes, ExpiresAt: { } expiresAt }
            ? AdminIdentity.Token(id, name, scopes, expiresAt)
            : null;
    }
}

internal sealed record IntrospectionRequest(string Token);

internal sealed record IntrospectionAnswer(bool Active, Guid? Id, string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IntrospectionRequest))]
[JsonSerializable(typeof(IntrospectionAnswer))]
internal sealed partial class IntrospectionJsonContext : JsonSerializerContext;
