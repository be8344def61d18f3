using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiPlatform.Gateway.Tests.Support;

/// <summary>
/// Plays an external OpenAI-compatible provider on a real socket of 127.0.0.1: <c>POST /v1/chat/completions</c> (or the
/// paths the test names) is answered by the test's <see cref="Script"/>, which may change between phases of a test, and
/// every request that reaches it is counted, so a test can tell how often the Gateway tried it.
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

    /// <param name="script">Answers each request, given its number.</param>
    /// <param name="paths">The paths under <c>/v1/</c> it serves; <c>chat/completions</c> when none are given.</param>
    public static async Task<ScriptedProvider> StartAsync(Func<int, HttpContext, Task> script, params string[] paths)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var provider = new ScriptedProvider(app, script);
        foreach (var path in paths is [] ? ["chat/completions"] : paths)
        {
            app.MapPost("/v1/" + path, (HttpContext context) => provider.Script(Interlocked.Increment(ref provider._requests), context));
        }

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

    /// <summary>An answer of OpenAI's <c>/v1/moderations</c> to one text, byte for byte as the API sends its shape.</summary>
    public const string ModerationAnswer =
        """{"id":"modr-5c7b2a09e1f34d6b","model":"omni-moderation-2024-09-26","results":[{"flagged":true,"categories":{"harassment":false,"harassment/threatening":false,"hate":false,"hate/threatening":false,"illicit":false,"illicit/violent":false,"self-harm":false,"self-harm/instructions":false,"self-harm/intent":false,"sexual":false,"sexual/minors":false,"violence":true,"violence/graphic":false},"category_scores":{"harassment":0.0012,"harassment/threatening":0.0008,"hate":0.0001,"hate/threatening":0.00002,"illicit":0.0003,"illicit/violent":0.0002,"self-harm":0.00001,"self-harm/instructions":0.000005,"self-harm/intent":0.000007,"sexual":0.00004,"sexual/minors":0.000001,"violence":0.8731,"violence/graphic":0.0021},"category_applied_input_types":{"harassment":["text"],"harassment/threatening":["text"],"hate":["text"],"hate/threatening":["text"],"illicit":["text"],"illicit/violent":["text"],"self-harm":["text","image"],"self-harm/instructions":["text","image"],"self-harm/intent":["text","image"],"sexual":["text","image"],"sexual/minors":["text"],"violence":["text","image"],"violence/graphic":["text","image"]}}]}""";

    /// <summary>The prompt tokens <see cref="RerankAnswer"/> reports: rerank's usage is <c>total_tokens</c> alone.</summary>
    public const int RerankTokens = 37;

    /// <summary>An answer of vLLM's <c>/v1/rerank</c> (the Cohere/Jina shape), with the documents returned.</summary>
    public const string RerankAnswer =
        """{"id":"rerank-8f1e0c2b9d7a4e65","model":"BAAI/bge-reranker-v2-m3","usage":{"total_tokens":37},"results":[{"index":1,"document":{"text":"The capital of France is Paris."},"relevance_score":0.9991},{"index":0,"document":{"text":"Paris is a city in Texas."},"relevance_score":0.0173}]}""";

    /// <summary>Writes <paramref name="json"/> as the provider's 200 answer.</summary>
    public static Task Json(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

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
