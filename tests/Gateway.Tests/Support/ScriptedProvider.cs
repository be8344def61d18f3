using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiPlatform.Gateway.Tests.Support;

/// <summary>
/// Plays an external OpenAI-compatible provider on a real socket of 127.0.0.1: <c>POST /v1/chat/completions</c> is
/// answered by the test's <see cref="Script"/>, which may change between phases of a test, and every request that
/// reaches it is counted, so a test can tell how often the Gateway tried it.
/// </summary>
internal sealed class ScriptedProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private ScriptedProvider(WebApplication app, Func<int, HttpContext, Task> script)
    {
        _app = app;
        Script = script;
    }

    /// <summary>Answers a request, given its number (1 for the first that reached the provider).</summary>
    public Func<int, HttpContext, Task> Script { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The provider's API root, as a <c>BaseUrl</c> target is written.</summary>
    public string ApiUrl => _app.Urls.Single() + "/v1";

    /// <summary><c>127.0.0.1:port</c>, which is also the label of a <c>BaseUrl</c> target without a name.</summary>
    public string Authority => new Uri(_app.Urls.Single()).Authority;

    public static async Task<ScriptedProvider> StartAsync(Func<int, HttpContext, Task> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var provider = new ScriptedProvider(app, script);
        app.MapPost("/v1/chat/completions", (HttpContext context) => provider.Script(Interlocked.Increment(ref provider._requests), context));
        await app.StartAsync();
        return provider;
    }

    /// <summary>A successful non-streamed chat completion, naming <paramref name="model"/> as the model that answered.</summary>
    public static Task Completion(HttpContext context, string model = "provider") => Results.Json(new
    {
        id = "chatcmpl-scripted",
        @object = "chat.completion",
        created = 1,
        model,
        choices = new[] { new { index = 0, message = new { role = "assistant", content = "ok" }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 3, completion_tokens = 1, total_tokens = 4 },
    }).ExecuteAsync(context);

    /// <summary>An error in OpenAI's shape, with a <c>Retry-After</c> (seconds) when given.</summary>
    public static Task Error(HttpContext context, int status, string type, string? code, string message, int? retryAfterSeconds = null)
    {
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Results.Json(new { error = new { message, type, param = (string?)null, code } }, statusCode: status).ExecuteAsync(context);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
