using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.Dashboard.Tests.SignIn;

/// <summary>
/// Plays UsageApi for the Dashboard: <c>/health</c> with a chosen status, and <c>GET /v1/admin/me</c>'s answer to a
/// credential: the master key for <see cref="Key"/>, an admin token with <see cref="TokenScopes"/> for <see cref="Token"/>,
/// 429 with <c>Retry-After: 42</c> for <see cref="ThrottledKey"/>, 401 for anything else. The real UsageApi's own
/// tests cover the real check.
/// </summary>
public sealed class FakeAdminApi : IAsyncDisposable
{
    public const string Key = "test-master-key-0123456789";
    public const string Token = "sk-aig-admin-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    public const string TokenName = "ci-reader";
    public const string ThrottledKey = "sk-aig-admin-throttled";
    public static readonly string[] TokenScopes = ["logs:read", "audit:read"];

    /// <summary>When <see cref="Token"/> expires.</summary>
    public static readonly DateTimeOffset TokenExpiresAt = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private FakeAdminApi(WebApplication app) => _app = app;

    public string Url => _app.Urls.Single();

    public int CredentialChecks { get; private set; }

    public static async Task<FakeAdminApi> StartAsync(int healthStatus = StatusCodes.Status200OK, string healthBody = "Healthy")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var api = new FakeAdminApi(app);
        app.MapGet("/health", () => Results.Text(healthBody, statusCode: healthStatus));
        app.MapGet("/v1/admin/me", (HttpRequest request, HttpResponse response) =>
        {
            api.CredentialChecks++;
            switch (request.Headers.Authorization.ToString())
            {
                case $"Bearer {Key}":
                    return Results.Json(new { @object = "admin.identity", kind = "master", id = (string?)null, name = "master key", scopes = new[] { "admin" }, expires_at = (string?)null });
                case $"Bearer {Token}":
                    return Results.Json(new { @object = "admin.identity", kind = "token", id = "5d0c3c1e-8f1a-4e55-9a77-2b1f6f0e9c10", name = TokenName, scopes = TokenScopes, expires_at = TokenExpiresAt });
                case $"Bearer {ThrottledKey}":
                    response.Headers.RetryAfter = "42";
                    return Results.Json(new { error = new { message = "Too many failed admin authentications from your address; try again later.", type = "rate_limit_error", param = (string?)null, code = "rate_limit_exceeded" } },
                        statusCode: StatusCodes.Status429TooManyRequests);
                default:
                    return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }
        });
        await app.StartAsync();
        return api;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
