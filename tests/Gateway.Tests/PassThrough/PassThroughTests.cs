using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Gateway.Tests.Usage;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.Gateway.Tests.PassThrough;

/// <summary>
/// Paths the Gateway does not know, passed to a model's target when the model allows it: off by default, the client's
/// bytes relayed unchanged both ways with the target's key in place of the virtual key, the model found in a form, a
/// JSON body or the configured default, and one ledger record each (Gateway → UsageApi → Postgres).
/// </summary>
public sealed class PassThroughTests(LedgerFixture platform) : IClassFixture<LedgerFixture>
{
    private const string ProviderKey = "sk-provider-pass-through-test";

    [Fact]
    public async Task PassThrough_Off_UnknownPathIs404AndNothingIsForwarded()
    {
        await using var provider = await EchoProvider.StartAsync();
        await using var gateway = await StartGatewayAsync(provider, passThrough: false);
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync(new Uri("v1/images/generations", UriKind.Relative), Json("""{"model":"images","prompt":"a cat"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("Unknown path: POST /v1/images/generations", error.GetProperty("message").GetString());
        Assert.Empty(provider.Requests);
    }

    [Fact]
    public async Task PassThrough_On_MultipartWithModelAfterTheFile_BytesRelayedUnchangedBothWaysKeySwappedOneLedgerRow()
    {
        await using var provider = await EchoProvider.StartAsync();
        await using var gateway = await StartGatewayAsync(provider, passThrough: true);
        var (keyId, key) = await platform.CreateKeyAsync(new { name = "pass-through multipart" });
        using var client = gateway.CreateClient(key);
        // As the .NET SDK sends a transcription: the audio file first, the model after it.
        var audio = RandomNumberGenerator.GetBytes(300 * 1024);
        using var form = new MultipartFormDataContent("pass-through-boundary");
        form.Add(new ByteArrayContent(audio) { Headers = { ContentType = new MediaTypeHeaderValue("audio/wav") } }, "file", "speech.wav");
        form.Add(new StringContent("images"), "model");
        var sent = await form.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/transcriptions?timestamp_granularities=word")
        {
            Content = new ByteArrayContent(sent) { Headers = { ContentType = form.Headers.ContentType } },
        };
        request.Headers.Add("aig-metadata", """{"team":"speech"}""");
        request.Headers.Add("OpenAI-Organization", "org-of-the-caller");

        using var response = await client.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(EchoProvider.Answer, answer);
        Assert.Equal("kept", response.Header("x-provider-header"));
        Assert.Equal(new Uri(provider.ApiUrl).Authority, response.Header("aig-target"));
        var received = Assert.Single(provider.Requests);
        Assert.Equal(("POST", "/v1/audio/transcriptions", "?timestamp_granularities=word"), (received.Method, received.Path, received.Query));
        Assert.Equal(sent, received.Body);
        Assert.Equal(form.Headers.ContentType!.ToString(), received.Headers["Content-Type"]);
        Assert.Equal("Bearer " + ProviderKey, received.Headers["Authorization"]);
        Assert.Equal(new Uri(provider.ApiUrl).Authority, received.Headers["Host"]);
        Assert.DoesNotContain(received.Headers, h => h.Key.StartsWith("aig-", StringComparison.OrdinalIgnoreCase) && h.Key != "aig-request-id");
        Assert.False(received.Headers.ContainsKey("OpenAI-Organization"));
        Assert.DoesNotContain(received.Headers.Values, value => value.Contains(key, StringComparison.Ordinal));

        var record = Assert.Single(await Eventually.ResultAsync(() => platform.RecordsAsync(keyId), r => r.Count >= 1, TimeSpan.FromSeconds(60)));
        Assert.Equal(response.Header("aig-request-id"), record.GetProperty("request_id").GetString());
        Assert.Equal("/v1/audio/transcriptions", record.GetProperty("path").GetString());
        Assert.Equal(200, record.GetProperty("status_code").GetInt32());
        Assert.Equal("images", record.GetProperty("requested_model").GetString());
        Assert.Equal("images", record.GetProperty("served_model").GetString());
        Assert.Equal(sent.Length, record.GetProperty("request_bytes").GetInt64());
        Assert.Equal(EchoProvider.Answer.Length, record.GetProperty("response_bytes").GetInt64());
        Assert.Equal(0, record.GetProperty("total_tokens").GetInt32());
        Assert.Equal(new Uri(provider.ApiUrl).Authority, record.GetProperty("target").GetString());
    }

    [Fact]
    public async Task PassThrough_On_ModelFromJsonOrTheDefault_ReachesTheTargetWithMethodPathAndQuery()
    {
        await using var provider = await EchoProvider.StartAsync();
        await using var gateway = await StartGatewayAsync(provider, passThrough: true, ("Gateway:PassThrough:DefaultModel", "images"),
            ("Gateway:PassThrough:MaxModelScanBytes", "4096"));
        using var client = gateway.CreateClient();
        const string json = """{"prompt":"a cat","size":"1024x1024","model":"images","n":1}""";

        using var generation = await client.PostAsync(new Uri("v1/images/generations", UriKind.Relative), Json(json));
        using var files = await client.GetAsync(new Uri("v1/files?purpose=batch&limit=2", UriKind.Relative));
        using var deleted = await client.DeleteAsync(new Uri("v1/files/file-abc123", UriKind.Relative));
        // A file upload names no model and is not read for one, however large (here past the model scan's limit).
        using var upload = new MultipartFormDataContent { { new StringContent("batch"), "purpose" }, { new ByteArrayContent(new byte[8192]), "file", "batch.jsonl" } };
        using var uploaded = await client.PostAsync(new Uri("v1/files", UriKind.Relative), upload);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK],
            [generation.StatusCode, files.StatusCode, deleted.StatusCode, uploaded.StatusCode]);
        var received = provider.Requests.ToArray();
        Assert.Equal(
            [("POST", "/v1/images/generations", ""), ("GET", "/v1/files", "?purpose=batch&limit=2"), ("DELETE", "/v1/files/file-abc123", ""), ("POST", "/v1/files", "")],
            received.Select(r => (r.Method, r.Path, r.Query)));
        Assert.Equal(await upload.ReadAsByteArrayAsync(), received[3].Body);
        Assert.Equal(json, Encoding.UTF8.GetString(received[0].Body));
        Assert.All(received, r => Assert.Equal("Bearer " + ProviderKey, r.Headers["Authorization"]));
    }

    [Fact]
    public async Task PassThrough_OfficialSdkTranscription_ReachesTheTargetWithTheSdksFormAndReadsItsAnswer()
    {
        await using var provider = await EchoProvider.StartAsync();
        provider.Answerer = context => context.Response.WriteAsJsonAsync(new { text = "Hello from the provider." });
        await using var gateway = await StartGatewayAsync(provider, passThrough: true);
        // Larger than the Gateway's limit for the bodies it parses (8 MiB): pass-through has its own.
        var audio = RandomNumberGenerator.GetBytes(9 * 1024 * 1024);

        var transcription = await gateway.OpenAi().GetAudioClient("images").TranscribeAudioAsync(new MemoryStream(audio), "speech.wav");

        Assert.Equal("Hello from the provider.", transcription.Value.Text);
        var received = Assert.Single(provider.Requests);
        Assert.Equal("/v1/audio/transcriptions", received.Path);
        Assert.StartsWith("multipart/form-data", received.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.True(received.Body.AsSpan().IndexOf(audio) >= 0, "The audio did not arrive whole.");
        Assert.Equal("Bearer " + ProviderKey, received.Headers["Authorization"]);
    }

    [Fact]
    public async Task PassThrough_RefusedRequests_NeverReachTheTarget()
    {
        await using var provider = await EchoProvider.StartAsync();
        await using var gateway = await StartGatewayAsync(provider, passThrough: true,
            ("Gateway:PassThrough:MaxModelScanBytes", "4096"),
            ("Gateway:Models:1:Name", "chat-only"),
            ("Gateway:Models:1:Targets:0:BaseUrl", provider.ApiUrl));
        var (_, narrowKey) = await platform.CreateKeyAsync(new { name = "pass-through other model only", models = new[] { "chat-only" } });
        using var client = gateway.CreateClient();
        using var narrow = gateway.CreateClient(narrowKey);
        using var anonymous = new HttpClient { BaseAddress = gateway.Url };

        using var noKey = await anonymous.PostAsync(new Uri("v1/images/generations", UriKind.Relative), Json("""{"model":"images"}"""));
        using var notAllowed = await narrow.PostAsync(new Uri("v1/images/generations", UriKind.Relative), Json("""{"model":"images"}"""));
        using var modelOff = await client.PostAsync(new Uri("v1/images/generations", UriKind.Relative), Json("""{"model":"chat-only"}"""));
        using var unknownModel = await client.PostAsync(new Uri("v1/images/generations", UriKind.Relative), Json("""{"model":"nope"}"""));
        using var noModel = await client.GetAsync(new Uri("v1/files", UriKind.Relative));
        using var badJson = await client.PostAsync(new Uri("v1/images/generations", UriKind.Relative), Json("""{"model":"""));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[8192]), "file", "big.wav" }, { new StringContent("images"), "model" } };
        using var modelTooLate = await client.PostAsync(new Uri("v1/audio/transcriptions", UriKind.Relative), form);
        // The key may use 'chat-only'… but the body asks the provider for 'images': the Gateway authorises what it reads.
        using var queryAndBody = await narrow.PostAsync(new Uri("v1/images/generations?model=chat-only", UriKind.Relative), Json("""{"model":"images"}"""));
        using var twiceInJson = await client.PostAsync(new Uri("v1/images/generations", UriKind.Relative), Json("""{"model":"images","model":"other"}"""));
        using var twiceInForm = new MultipartFormDataContent
        {
            { new StringContent("images"), "model" }, { new ByteArrayContent(new byte[100_000]), "file", "a.wav" }, { new StringContent("other"), "model" },
        };
        using var formTwice = await client.PostAsync(new Uri("v1/audio/transcriptions", UriKind.Relative), twiceInForm);
        // A path the Gateway serves itself, with another method: 405 as ever, never the provider's stored completions.
        using var storedCompletions = await client.GetAsync(new Uri("v1/chat/completions", UriKind.Relative));
        using var adminPost = await client.PostAsync(new Uri("v1/admin/backends", UriKind.Relative), Json("""{"model":"images"}"""));

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.BadRequest,
                HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest,
                HttpStatusCode.MethodNotAllowed, HttpStatusCode.MethodNotAllowed],
            [noKey.StatusCode, notAllowed.StatusCode, modelOff.StatusCode, unknownModel.StatusCode, noModel.StatusCode, badJson.StatusCode, modelTooLate.StatusCode,
                queryAndBody.StatusCode, twiceInJson.StatusCode, formTwice.StatusCode, storedCompletions.StatusCode, adminPost.StatusCode]);
        Assert.Equal("method_not_allowed", JsonElement.Parse(await storedCompletions.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("does not take pass-through requests", await modelOff.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Gateway:PassThrough:DefaultModel", await noModel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("model", JsonElement.Parse(await modelTooLate.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("param").GetString());
        Assert.Empty(provider.Requests);
    }

    [Fact]
    public async Task PassThrough_TargetDown_Answers502InOpenAIShape()
    {
        await using var provider = await EchoProvider.StartAsync();
        await using var gateway = await StartGatewayAsync(provider, passThrough: true, ("Gateway:Models:0:Targets:0:BaseUrl", TestGateway.ClosedTargetUrls(1)[0]));
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync(new Uri("v1/images/generations", UriKind.Relative), Json("""{"model":"images"}"""));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_unreachable", JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("code").GetString());
    }

    private Task<TestGateway> StartGatewayAsync(EchoProvider provider, bool passThrough, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["AIPLATFORM_MASTER_KEY"] = LedgerFixture.MasterKey,
            ["services:usageapi:http:0"] = platform.UsageApiUrl.ToString(),
            ["Gateway:Usage:Enabled"] = "true",
            ["Gateway:Usage:FlushInterval"] = "00:00:00.200",
            ["Gateway:Models:0:Name"] = "images",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = provider.ApiUrl,
            ["Gateway:Models:0:Targets:0:ApiKey"] = ProviderKey,
            // An alias the pass-through does not apply: the body goes as the client wrote it.
            ["Gateway:Models:0:Targets:0:Model"] = "provider-images",
            ["Gateway:Models:0:PassThrough"] = passThrough ? "true" : "false",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return TestGateway.StartAsync(platform.Redis, all);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
