using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiPlatform.Gateway.Tests.PassThrough;

/// <summary>
/// A provider on a real socket that takes any method and path, keeps what each request brought (method, path, query,
/// headers, every body byte) and answers with <see cref="Answer"/>, a binary body, so that tests can compare bytes
/// both ways.
/// </summary>
internal sealed class EchoProvider : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoProvider(WebApplication app) => _app = app;

    /// <summary>256 KiB that no text encoding would leave unchanged.</summary>
    public static byte[] Answer { get; } = [.. Enumerable.Range(0, 256 * 1024).Select(i => (byte)(i * 31 % 251))];

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Answers instead of <see cref="Answer"/> when set (a JSON answer an SDK can read).</summary>
    public Func<HttpContext, Task>? Answerer { get; set; }

    public string ApiUrl => _app.Urls.Single() + "/v1";

    public static async Task<EchoProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var provider = new EchoProvider(app);
        app.Map("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            provider.Requests.Enqueue(new Received(context.Request.Method, context.Request.Path.Value!, context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
            if (provider.Answerer is { } answerer)
            {
                await answerer(context);
                return;
            }

            context.Response.ContentType = "application/octet-stream";
            context.Response.Headers["x-provider-header"] = "kept";
            await context.Response.Body.WriteAsync(Answer);
        });
        await app.StartAsync();
        return provider;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public sealed record Received(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body);
}
