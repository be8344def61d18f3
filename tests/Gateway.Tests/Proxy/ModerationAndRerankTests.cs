using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Tests.Auth;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Http;
using OpenAI;
using OpenAI.Moderations;

namespace AiPlatform.Gateway.Tests.Proxy;

/// <summary>
/// <c>POST /v1/moderations</c> and <c>POST /v1/rerank</c> go the way embeddings go: the caller's virtual key, the model's
/// targets with their own keys and upstream names, retries on another target, the response cache, and 400s that name
/// the field; the answer comes back as the provider sent it.
/// </summary>
public sealed class ModerationAndRerankTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string ProviderKey = "sk-provider-moderation-rerank-0123456789";
    private const string UpstreamModerationModel = "omni-moderation-2024-09-26";
    private const string UpstreamRerankModel = "BAAI/bge-reranker-v2-m3";

    [Fact]
    public async Task Moderation_ThroughSdk_AnswerRelayedUnchangedAndTargetsKeySent()
    {
        var seen = new ConcurrentQueue<Received>();
        await using var provider = await StartProviderAsync(seen);
        await using var gateway = await TestGateway.StartAsync(redis, Models(provider.ApiUrl));

        ClientResult<ModerationResult> result = await Sdk(gateway).GetModerationClient("omni-moderation-latest").ClassifyTextAsync("I will hurt them.");

        var raw = result.GetRawResponse();
        Assert.Equal(ScriptedProvider.ModerationAnswer, raw.Content.ToString());
        Assert.True(result.Value.Flagged);
        Assert.True(result.Value.Violence.Flagged);
        Assert.Equal(0.8731f, result.Value.Violence.Score, precision: 4);
        Assert.True(raw.Headers.TryGetValue("aig-target", out var target));
        Assert.Equal(provider.Authority, target);
        Assert.True(raw.Headers.TryGetValue("aig-request-id", out var requestId) && !string.IsNullOrEmpty(requestId));
        var request = Assert.Single(seen);
        Assert.Equal("/v1/moderations", request.Path);
        Assert.Equal("Bearer " + ProviderKey, request.Authorization);
        Assert.Equal(UpstreamModerationModel, request.Body.GetProperty("model").GetString());
        Assert.Equal("I will hurt them.", request.Body.GetProperty("input").GetString());
    }

    [Fact]
    public async Task Moderation_TextAndImagePartsThroughSdk_PassedOnAsParts()
    {
        var seen = new ConcurrentQueue<Received>();
        await using var provider = await StartProviderAsync(seen);
        await using var gateway = await TestGateway.StartAsync(redis, Models(provider.ApiUrl));

        ClientResult<ModerationResult> result = await Sdk(gateway).GetModerationClient("omni-moderation-latest").ClassifyInputsAsync(
            [ModerationInputPart.CreateTextPart("what is in this picture?"), ModerationInputPart.CreateImagePart(new Uri("https://example.com/cat.png"))]);

        Assert.Equal(ScriptedProvider.ModerationAnswer, result.GetRawResponse().Content.ToString());
        Assert.True(result.Value.Violence.Flagged);
        var input = Assert.Single(seen).Body.GetProperty("input");
        Assert.Equal(["text", "image_url"], input.EnumerateArray().Select(part => part.GetProperty("type").GetString()));
    }

    [Theory]
    [InlineData(null, "omni-moderation-latest")]
    [InlineData("guard", "guard")]
    public async Task Moderation_WithoutModel_RoutedToTheDefaultModelWhichTheUpstreamBodyNames(string? configuredDefault, string routedTo)
    {
        var seen = new ConcurrentQueue<Received>();
        await using var provider = await StartProviderAsync(seen);
        var settings = Models(provider.ApiUrl);
        settings["Gateway:Models:2:Name"] = "guard";
        settings["Gateway:Models:2:Targets:0:BaseUrl"] = provider.ApiUrl;
        settings["Gateway:Models:2:Targets:0:Model"] = "llama-guard-3";
        if (configuredDefault is not null)
        {
            settings["Gateway:Moderations:DefaultModel"] = configuredDefault;
        }

        await using var gateway = await TestGateway.StartAsync(redis, settings);
        using var client = gateway.CreateClient();

        using var response = await PostAsync(client, "moderations", """{ "input": ["first", "second"] }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = Assert.Single(seen).Body;
        Assert.Equal(routedTo == "guard" ? "llama-guard-3" : UpstreamModerationModel, body.GetProperty("model").GetString());
        Assert.Equal(["first", "second"], body.GetProperty("input").EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public async Task Moderation_WithoutModelAndTheDefaultNotServed_Returns400NamingModel()
    {
        await using var provider = await ScriptedProvider.StartAsync((_, context) => ScriptedProvider.Json(context, ScriptedProvider.ModerationAnswer), "moderations");
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["Gateway:Models:0:Name"] = "reranker",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = provider.ApiUrl,
        });
        using var client = gateway.CreateClient();

        using var response = await PostAsync(client, "moderations", """{"input":"hello"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("model", await ErrorParamAsync(response));
        Assert.Equal(0, provider.Requests);
    }

    [Fact]
    public async Task Rerank_ThroughHttp_AnswerRelayedUnchangedAndTargetsKeySent()
    {
        var seen = new ConcurrentQueue<Received>();
        await using var provider = await StartProviderAsync(seen);
        await using var gateway = await TestGateway.StartAsync(redis, Models(provider.ApiUrl));
        using var client = gateway.CreateClient();

        using var response = await PostAsync(client, "rerank",
            """{"model":"reranker","query":"What is the capital of France?","documents":["Paris is a city in Texas.",{"text":"The capital of France is Paris."}],"top_n":2,"return_documents":true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ScriptedProvider.RerankAnswer, await response.Content.ReadAsStringAsync());
        Assert.Equal(provider.Authority, response.Header("aig-target"));
        var request = Assert.Single(seen);
        Assert.Equal("/v1/rerank", request.Path);
        Assert.Equal("Bearer " + ProviderKey, request.Authorization);
        Assert.Equal(UpstreamRerankModel, request.Body.GetProperty("model").GetString());
        Assert.Equal("The capital of France is Paris.", request.Body.GetProperty("documents")[1].GetProperty("text").GetString());
        Assert.Equal(2, request.Body.GetProperty("top_n").GetInt32());
    }

    [Theory]
    [InlineData("moderations", StatusCodes.Status429TooManyRequests)]
    [InlineData("moderations", StatusCodes.Status503ServiceUnavailable)]
    [InlineData("rerank", StatusCodes.Status429TooManyRequests)]
    [InlineData("rerank", StatusCodes.Status500InternalServerError)]
    public async Task FirstTargetFails_AnsweredByTheModelsOtherTarget(string path, int status)
    {
        await using var failing = await ScriptedProvider.StartAsync((_, context) =>
            ScriptedProvider.Error(context, status, "server_error", null, "not now"), "moderations", "rerank");
        await using var good = await StartProviderAsync(new ConcurrentQueue<Received>());
        // Weighted 1000 to 1, the failing target is almost always tried first; the loop covers the rare other draw.
        var model = path == "rerank" ? "reranker" : "omni-moderation-latest";
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["Gateway:Models:0:Name"] = model,
            ["Gateway:Models:0:Strategy"] = "Weighted",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = failing.ApiUrl,
            ["Gateway:Models:0:Targets:0:Weight"] = "1000",
            ["Gateway:Models:0:Targets:1:BaseUrl"] = good.ApiUrl,
            ["Gateway:Models:0:Targets:1:Weight"] = "1",
        });
        using var client = gateway.CreateClient();

        for (var i = 0; i < 5 && failing.Requests == 0; i++)
        {
            using var response = await PostAsync(client, path, path == "rerank"
                ? """{"model":"reranker","query":"q","documents":["a","b"]}"""
                : """{"model":"omni-moderation-latest","input":"hello"}""");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(good.Authority, response.Header("aig-target"));
            Assert.Equal(path == "rerank" ? ScriptedProvider.RerankAnswer : ScriptedProvider.ModerationAnswer, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, failing.Requests);
    }

    [Theory]
    [InlineData("moderations", """{"model":"omni-moderation-latest"}""", "input")]
    [InlineData("moderations", """{"model":"omni-moderation-latest","input":42}""", "input")]
    [InlineData("moderations", """{"model":"omni-moderation-latest","input":[]}""", "input")]
    [InlineData("moderations", """{"model":"omni-moderation-latest","input":["a",1]}""", "input[1]")]
    [InlineData("moderations", """{"model":"omni-moderation-latest","input":[{"text":"a"}]}""", "input[0].type")]
    [InlineData("moderations", """{"model":"omni-moderation-latest","input":[{"type":"image_url","image_url":"https://x"}]}""", "input[0].image_url")]
    [InlineData("moderations", """{"model":7,"input":"a"}""", "model")]
    [InlineData("moderations", """{"model":"omni-moderation-latest","input":"a","stream":true}""", "stream")]
    [InlineData("rerank", """{"query":"q","documents":["a"]}""", "model")]
    [InlineData("rerank", """{"model":"reranker","documents":["a"]}""", "query")]
    [InlineData("rerank", """{"model":"reranker","query":["q"],"documents":["a"]}""", "query")]
    [InlineData("rerank", """{"model":"reranker","query":"q"}""", "documents")]
    [InlineData("rerank", """{"model":"reranker","query":"q","documents":"a"}""", "documents")]
    [InlineData("rerank", """{"model":"reranker","query":"q","documents":["a",{"title":"b"}]}""", "documents[1]")]
    [InlineData("rerank", """{"model":"reranker","query":"q","documents":["a"],"top_n":0}""", "top_n")]
    [InlineData("rerank", """{"model":"reranker","query":"q","documents":["a"],"return_documents":"yes"}""", "return_documents")]
    public async Task BadBody_Returns400NamingTheFieldWithoutGoingUpstream(string path, string body, string param)
    {
        await using var provider = await StartProviderAsync(new ConcurrentQueue<Received>());
        await using var gateway = await TestGateway.StartAsync(redis, Models(provider.ApiUrl));
        using var client = gateway.CreateClient();

        using var response = await PostAsync(client, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, await ErrorParamAsync(response));
        Assert.Equal(0, provider.Requests);
    }

    [Theory]
    [InlineData("moderations", """{"model":"omni-moderation-latest","input":"cache me"}""", """{ "input": "cache me", "model": "omni-moderation-latest" }""")]
    [InlineData("rerank", """{"model":"reranker","query":"q","documents":["a","b"]}""", """{"documents":["a","b"],"query":"q","model":"reranker"}""")]
    public async Task IdenticalSecondRequest_ServedFromTheCacheAsHit(string path, string first, string sameReordered)
    {
        await using var provider = await StartProviderAsync(new ConcurrentQueue<Received>());
        var settings = Models(provider.ApiUrl);
        settings["Gateway:Cache:Enabled"] = "true";
        await using var gateway = await TestGateway.StartAsync(redis, settings);
        using var client = gateway.CreateClient();

        using var miss = await PostAsync(client, path, first);
        var missBody = await miss.Content.ReadAsStringAsync();
        // The answer is stored after the response is complete; the second request may come before that.
        using var hit = await Eventually.ResultAsync(() => PostAsync(client, path, sameReordered), r => r.Header("aig-cache-status") == "HIT");

        Assert.Equal("MISS", miss.Header("aig-cache-status"));
        Assert.Equal(missBody, await hit.Content.ReadAsStringAsync());
        Assert.Equal(path == "rerank" ? ScriptedProvider.RerankAnswer : ScriptedProvider.ModerationAnswer, missBody);
        Assert.Equal(1, provider.Requests);
    }

    [Fact]
    public async Task Moderation_TokenLimitBelowTheDefaultCompletion_AdmittedAndChargedForItsPromptAlone()
    {
        await using var provider = await StartProviderAsync(new ConcurrentQueue<Received>());
        await using var gateway = await TestGateway.StartAsync(redis, Models(provider.ApiUrl));
        var key = await TestKeys.SeedAsync(redis.ConnectionString, new KeyRecord { Id = "key-" + Guid.NewGuid().ToString("n"), Name = "small tpm", Tpm = 100 });
        using var client = gateway.CreateClient(key);
        const string body = """{"model":"omni-moderation-latest","input":"hello there"}""";

        using var response = await PostAsync(client, "moderations", body);

        // A generation would reserve the default 256 completion tokens and be refused; a moderation generates none, and
        // reports no usage to settle to, so its prompt estimate (a token per four bytes) is what it is charged.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((100 - (Encoding.UTF8.GetByteCount(body) / 4)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            response.Header("x-ratelimit-remaining-tokens"));
    }

    /// <summary>What the provider received of one request.</summary>
    private sealed record Received(string Path, string Authorization, JsonElement Body);

    /// <summary>A provider answering both operations in their real shapes, keeping what it received.</summary>
    private static Task<ScriptedProvider> StartProviderAsync(ConcurrentQueue<Received> seen) =>
        ScriptedProvider.StartAsync(async (_, context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            seen.Enqueue(new Received(context.Request.Path, context.Request.Headers.Authorization.ToString(), body.RootElement.Clone()));
            await ScriptedProvider.Json(context,
                context.Request.Path.Value!.EndsWith("/rerank", StringComparison.Ordinal) ? ScriptedProvider.RerankAnswer : ScriptedProvider.ModerationAnswer);
        }, "moderations", "rerank");

    /// <summary>OpenAI's default moderation model and a reranker on <paramref name="providerUrl"/>, each under its upstream name and with the provider's key.</summary>
    private static Dictionary<string, string?> Models(string providerUrl) => new()
    {
        ["Gateway:Models:0:Name"] = "omni-moderation-latest",
        ["Gateway:Models:0:Targets:0:BaseUrl"] = providerUrl,
        ["Gateway:Models:0:Targets:0:Model"] = UpstreamModerationModel,
        ["Gateway:Models:0:Targets:0:ApiKey"] = ProviderKey,
        ["Gateway:Models:1:Name"] = "reranker",
        ["Gateway:Models:1:Targets:0:BaseUrl"] = providerUrl,
        ["Gateway:Models:1:Targets:0:Model"] = UpstreamRerankModel,
        ["Gateway:Models:1:Targets:0:ApiKey"] = ProviderKey,
    };

    private static OpenAIClient Sdk(TestGateway gateway) => new(new ApiKeyCredential(gateway.ApiKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(gateway.Url, "v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TestTimeouts.Default,
    });

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json) =>
        client.PostAsync(new Uri("v1/" + path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<string?> ErrorParamAsync(HttpResponseMessage response)
    {
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return error.RootElement.GetProperty("error").GetProperty("param").GetString();
    }
}
