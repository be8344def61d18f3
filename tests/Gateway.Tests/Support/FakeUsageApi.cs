using System.Collections.Concurrent;
using System.Text.Json;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiPlatform.Gateway.Tests.Support;

/// <summary>
/// Plays UsageApi's ledger endpoint (<c>POST /v1/usage/events</c>) on a real socket of 127.0.0.1 and keeps every event
/// the Gateway sends, as JSON, by request id: the Gateway's side of the contract, checked without a database.
/// </summary>
internal sealed class FakeUsageApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonElement> _events = new(StringComparer.Ordinal);

    private FakeUsageApi(WebApplication app) => _app = app;

    /// <summary>Its root, as <c>services__usageapi__http__0</c> is written.</summary>
    public string Url => _app.Urls.Single();

    public static async Task<FakeUsageApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var usageApi = new FakeUsageApi(app);
        app.MapPost("/v1/usage/events", async (HttpContext context) =>
        {
            using var batch = await JsonDocument.ParseAsync(context.Request.Body);
            var events = batch.RootElement.GetProperty("events");
            foreach (var usageEvent in events.EnumerateArray())
            {
                usageApi._events[usageEvent.GetProperty("request_id").GetString()!] = usageEvent.Clone();
            }

            return Results.Json(new { accepted = events.GetArrayLength(), duplicates = 0 });
        });
        await app.StartAsync();
        return usageApi;
    }

    /// <summary>The event of a request, once the Gateway has shipped it.</summary>
    public async Task<JsonElement> EventAsync(string requestId)
    {
        await Eventually.TrueAsync(() => Task.FromResult(_events.ContainsKey(requestId)), TestTimeouts.Default, $"no usage event for {requestId}");
        return _events[requestId];
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
