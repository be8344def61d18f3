using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.InferenceWorker.Tests.Support;

/// <summary>
/// An upstream that records what it was sent: chat completions answer 202 with a marker header; <c>/metrics</c>
/// answers with <see cref="MetricsText"/> (404 while it is null), as a vLLM server's Prometheus endpoint would.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app) => _app = app;

    public Uri Address => new(_app.Urls.First());

    public string? Authorization { get; private set; }

    public string Body { get; private set; } = "";

    public string? MetricsText { get; set; }

    public string? MetricsAuthorization { get; private set; }

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new FakeUpstream(app);
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            upstream.Authorization = context.Request.Headers.Authorization;
            upstream.Body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            context.Response.Headers["x-upstream"] = "yes";
            await context.Response.WriteAsync("{}");
        });
        app.MapGet("/metrics", (HttpContext context) =>
        {
            upstream.MetricsAuthorization = context.Request.Headers.Authorization;
            return upstream.MetricsText is { } text ? Results.Text(text, "text/plain; version=0.0.4") : Results.NotFound();
        });
        await app.StartAsync();
        return upstream;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
