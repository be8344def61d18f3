using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AiPlatform.EndToEnd.Tests.Hosting;
using OpenAI;
using OpenAI.Chat;

namespace AiPlatform.EndToEnd.Tests;

/// <summary>
/// The official OpenAI .NET SDK pointed at the AppHost-run Gateway, as an application would use it. The response cache
/// is on, so each test asks something no other test asks: none depends on another's cached answers.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class OpenAiSdkTests(AppHostFixture fixture) : IDisposable
{
    private const string Model = "sim";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    // No proxy: an http_proxy meant for the internet must not stand between the tests and 127.0.0.1.
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = s_timeout };
    private readonly AdminApi _admin = new(fixture);

    public void Dispose()
    {
        _admin.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task CompleteChat_DevelopmentKey_ReturnsContentWithUsageThatAddsUp()
    {
        var chat = Client().GetChatClient(Model);

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Say something about ledgers.")]).WaitAsync(s_timeout);

        Assert.False(string.IsNullOrWhiteSpace(Text(completion)));
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task CreateResponse_ResponsesApiOnTheSimulator_TextAndUsageThatAddsUp()
    {
#pragma warning disable OPENAI001 // The Responses client is marked experimental in the SDK; it is what current code calls.
        var responses = Client().GetResponsesClient();

        var response = (await responses.CreateResponseAsync(new OpenAI.Responses.CreateResponseOptions(Model,
            [OpenAI.Responses.ResponseItem.CreateUserMessageItem("Say something about gateways.")])).WaitAsync(s_timeout)).Value;
#pragma warning restore OPENAI001

        Assert.False(string.IsNullOrWhiteSpace(response.GetOutputText()));
        Assert.True(response.Usage.OutputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_SameMessagesAndSeed_PiecesMakeTheNonStreamedTextAndUsageComesLast()
    {
        var chat = Client().GetChatClient(Model);
        ChatMessage[] messages = [new UserChatMessage("Stream a few words about rate limits.")];
        var options = new ChatCompletionOptions { Seed = 7 };

        // Streamed first, so that it comes from the worker as it generates rather than from the cache.
        var (pieces, updates) = await StreamAsync(chat, messages, options).WaitAsync(s_timeout);
        ChatCompletion whole = await chat.CompleteChatAsync(messages, options).WaitAsync(s_timeout);

        Assert.True(pieces.Count > 1, $"The answer came in {pieces.Count} piece(s).");
        Assert.Equal(Text(whole), string.Concat(pieces));
        var usage = updates[^1].Usage;
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.All(updates.Take(updates.Count - 1), u => Assert.Null(u.Usage));
    }

    [Fact]
    public async Task GenerateEmbedding_Text_ReturnsUnitVector()
    {
        var embeddings = Client().GetEmbeddingClient(Model);

        var embedding = (await embeddings.GenerateEmbeddingAsync("A vector for the ledger.").WaitAsync(s_timeout)).Value.ToFloats();

        Assert.False(embedding.IsEmpty);
        var norm = Math.Sqrt(embedding.ToArray().Sum(x => (double)x * x));
        Assert.InRange(norm, 0.999, 1.001);
    }

    [Fact]
    public async Task GetModels_DevelopmentKey_ListsTheSimulator()
    {
        var models = (await Client().GetOpenAIModelClient().GetModelsAsync().WaitAsync(s_timeout)).Value;

        Assert.Contains(models, m => m.Id == Model);
    }

    [Fact]
    public async Task CompleteChat_UnknownModel_ThrowsClientResultExceptionWith404()
    {
        var chat = Client().GetChatClient("no-such-model");

        var error = await Assert.ThrowsAsync<ClientResultException>(
            () => chat.CompleteChatAsync([new UserChatMessage("Anyone there?")]).WaitAsync(s_timeout));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task CompleteChat_WellFormedUnknownKey_ThrowsClientResultExceptionWith401()
    {
        var chat = Client("sk-aig-" + new string('x', 43)).GetChatClient(Model);

        var error = await Assert.ThrowsAsync<ClientResultException>(
            () => chat.CompleteChatAsync([new UserChatMessage("Let me in.")]).WaitAsync(s_timeout));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task CompleteChat_KeyOverItsRequestsPerMinute_ThrowsClientResultExceptionWith429AndRetryAfter()
    {
        var (_, key) = await _admin.CreateKeyAsync(new JsonObject { ["name"] = "e2e-rpm", ["rpm"] = 2 }).WaitAsync(s_timeout);
        var chat = Client(key).GetChatClient(Model);

        await chat.CompleteChatAsync([new UserChatMessage("First of three.")]).WaitAsync(s_timeout);
        await chat.CompleteChatAsync([new UserChatMessage("Second of three.")]).WaitAsync(s_timeout);
        var error = await Assert.ThrowsAsync<ClientResultException>(
            () => chat.CompleteChatAsync([new UserChatMessage("Third of three.")]).WaitAsync(s_timeout));

        Assert.Equal(429, error.Status);
        var response = error.GetRawResponse();
        Assert.NotNull(response);
        Assert.True(response.Headers.TryGetValue("Retry-After", out var retryAfter), "The 429 carries no Retry-After.");
        Assert.True(int.TryParse(retryAfter, out var seconds) && seconds > 0, $"Retry-After is '{retryAfter}'.");
    }

    [Fact]
    public async Task CompleteChat_SameRequestTwice_SecondIsACacheHitWithTheSameContent()
    {
        var chat = Client().GetChatClient(Model);
        ChatMessage[] messages = [new UserChatMessage("Cache this answer, please.")];

        var first = await chat.CompleteChatAsync(messages).WaitAsync(s_timeout);
        var second = await chat.CompleteChatAsync(messages).WaitAsync(s_timeout);

        Assert.Equal(Text(first.Value), Text(second.Value));
        Assert.Equal("MISS", CacheStatus(first.GetRawResponse()));
        Assert.Equal("HIT", CacheStatus(second.GetRawResponse()));

        // The same through plain HTTP, as curl would see it.
        const string body = """{"model":"sim","messages":[{"role":"user","content":"Cache this raw answer, please."}]}""";
        using var miss = await PostChatAsync(fixture.DevKey, body).WaitAsync(s_timeout);
        using var hit = await PostChatAsync(fixture.DevKey, body).WaitAsync(s_timeout);
        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal("MISS", Assert.Single(miss.Headers.GetValues("aig-cache-status")));
        Assert.Equal("HIT", Assert.Single(hit.Headers.GetValues("aig-cache-status")));
        Assert.Equal(await ContentOfAsync(miss), await ContentOfAsync(hit));
    }

    [Fact]
    public async Task Gateway_KeyRevoked_AnswersUnauthorizedWithinOneSecond()
    {
        var (id, key) = await _admin.CreateKeyAsync(new JsonObject { ["name"] = "e2e-revoked" }).WaitAsync(s_timeout);
        using (var before = await GetModelsAsync(key).WaitAsync(s_timeout))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await _admin.RevokeKeyAsync(id).WaitAsync(s_timeout);
        var revoked = Stopwatch.StartNew();
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && revoked.Elapsed < TimeSpan.FromSeconds(3))
        {
            using var response = await GetModelsAsync(key).WaitAsync(s_timeout);
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(1), $"The revoked key still worked for {revoked.Elapsed.TotalMilliseconds:0} ms.");
    }

    /// <summary>No retries: the tests must see what the Gateway answered, and a 429 must not be retried away.</summary>
    private OpenAIClient Client(string? key = null) => new(
        new ApiKeyCredential(key ?? fixture.DevKey),
        new OpenAIClientOptions
        {
            Endpoint = new Uri(fixture.GatewayUrl, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Transport = new HttpClientPipelineTransport(_http),
            NetworkTimeout = s_timeout,
        });

    private static async Task<(List<string> Pieces, List<StreamingChatCompletionUpdate> Updates)> StreamAsync(
        ChatClient chat, IEnumerable<ChatMessage> messages, ChatCompletionOptions options)
    {
        List<string> pieces = [];
        List<StreamingChatCompletionUpdate> updates = [];
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, options))
        {
            updates.Add(update);
            // The first chunk carries the role with content "", which the SDK turns into an empty part.
            pieces.AddRange(update.ContentUpdate.Select(part => part.Text).Where(text => !string.IsNullOrEmpty(text)));
        }

        return (pieces, updates);
    }

    private static string Text(ChatCompletion completion) => string.Concat(completion.Content.Select(part => part.Text));

    private static async Task<string?> ContentOfAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())?["choices"]?[0]?["message"]?["content"]?.GetValue<string>();

    private static string? CacheStatus(PipelineResponse response) =>
        response.Headers.TryGetValue("aig-cache-status", out var value) ? value : null;

    private Task<HttpResponseMessage> PostChatAsync(string key, string body) =>
        _http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.GatewayUrl, "/v1/chat/completions"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        });

    private Task<HttpResponseMessage> GetModelsAsync(string key) =>
        _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.GatewayUrl, "/v1/models"))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
        });
}
