using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AiPlatform.Gateway.Tests.Proxy;

/// <summary>
/// A fake OpenAI-compatible provider on a real socket that records what reaches it, to check what the Gateway
/// sends upstream (headers, body) independently of the simulator.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private const string Completion = """{"id":"chatcmpl-fake","object":"chat.completion","created":1,"model":"fake","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";

    /// <summary>A streamed answer sent in one piece with a Content-Length, as a static or buffering upstream does.</summary>
    public const string StreamedAnswer =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}\n\n" +
        "data: [DONE]\n\n";

    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<(IHeaderDictionary Headers, string Body)> Received { get; } = new();

    public Uri BaseUrl => new(_app.Urls.Single() + "/v1");

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new FakeUpstream(app);
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            upstream.Received.Enqueue((new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), body));
            context.Response.Headers["x-upstream-marker"] = "fake";
            context.Response.Headers["x-upstream-values"] = new StringValues(["one", "two"]);
            var streamed = body.Contains("\"stream\":true", StringComparison.Ordinal);
            var answer = streamed ? StreamedAnswer : Completion;
            context.Response.ContentType = streamed ? "text/event-stream" : "application/json";
            context.Response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(answer);
            await context.Response.WriteAsync(answer);
        });
        await app.StartAsync();
        return upstream;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
