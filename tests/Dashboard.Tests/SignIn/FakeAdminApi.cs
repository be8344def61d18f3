using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.Dashboard.Tests.SignIn;

/// <summary>
/// Plays UsageApi for the Dashboard: <c>/health</c> with a chosen status, and the admin API's answer to a credential
/// (200 for <see cref="Key"/>, 401 for anything else). The real UsageApi's own tests cover the real check.
/// </summary>
public sealed class FakeAdminApi : IAsyncDisposable
{
    public const string Key = "test-master-key-0123456789";

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
        app.MapGet("/v1/prices", (HttpRequest request) =>
        {
            api.CredentialChecks++;
            return request.Headers.Authorization.ToString() == $"Bearer {Key}" ? Results.Json(new { data = Array.Empty<object>() }) : Results.StatusCode(StatusCodes.Status401Unauthorized);
        });
        await app.StartAsync();
        return api;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
