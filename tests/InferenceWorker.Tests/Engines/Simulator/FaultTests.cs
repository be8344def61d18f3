using System.ComponentModel.DataAnnotations;
using System.Net;
using AiPlatform.InferenceWorker.Engines.Simulator;
using AiPlatform.InferenceWorker.Tests.Support;
using OpenAI.Chat;

namespace AiPlatform.InferenceWorker.Tests.Engines.Simulator;

public sealed class FaultTests(FaultTests.AllowHeaderFixture fixture) : IClassFixture<FaultTests.AllowHeaderFixture>
{
    private static readonly object s_chat = new { model = "sim", messages = new[] { new { role = "user", content = "Hi" } } };

    [Theory]
    [InlineData("500", HttpStatusCode.InternalServerError, "server_error", false)]
    [InlineData("429", HttpStatusCode.TooManyRequests, "rate_limit_error", true)]
    [InlineData("503", HttpStatusCode.ServiceUnavailable, "server_error", true)]
    public async Task FaultHeader_Allowed_ReturnsStatusInOpenAIShape(string fault, HttpStatusCode status, string type, bool retryAfter)
    {
        using var client = fixture.Host.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/chat/completions", s_chat, fault);
        var error = (await Sse.JsonAsync(response)).GetProperty("error");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(retryAfter ? "1" : null, response.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task FaultHeader_UnknownValue_Returns400()
    {
        using var client = fixture.Host.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/chat/completions", s_chat, "explode");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("aig-sim-fault", (await Sse.JsonAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FaultHeader_NotAllowed_Ignored()
    {
        using var host = WorkerHost.Simulator();
        using var client = host.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/chat/completions", s_chat, "500");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ConfiguredFault_503_EveryRequestFailsWithRetryAfter()
    {
        using var host = WorkerHost.Simulator(new Dictionary<string, string?> { ["Inference:Simulator:Fault"] = "503" });
        using var client = host.CreateClient();

        using var chat = await Sse.PostAsync(client, "/v1/chat/completions", s_chat);
        using var embeddings = await Sse.PostAsync(client, "/v1/embeddings", new { model = "sim", input = "x" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, chat.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, embeddings.StatusCode);
        Assert.NotNull(chat.Headers.RetryAfter);
    }

    [Fact]
    public async Task ConfiguredFault_HalfRate_RoughlyHalfTheRequestsFail()
    {
        using var host = WorkerHost.Simulator(new Dictionary<string, string?>
        {
            ["Inference:Simulator:Fault"] = "500",
            ["Inference:Simulator:FaultRate"] = "0.5",
        });
        using var client = host.CreateClient();

        var failed = 0;
        for (var i = 0; i < 200; i++)
        {
            using var response = await Sse.PostAsync(client, "/v1/chat/completions", s_chat);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.InternalServerError, $"unexpected {response.StatusCode}");
            failed += response.StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
        }

        // Binomial(200, 0.5): a standard deviation of about 7, so 60..140 fails by chance less than once in a million runs.
        Assert.InRange(failed, 60, 140);
    }

    [Fact]
    public async Task ConfiguredFault_RateZero_NeverFails()
    {
        using var host = WorkerHost.Simulator(new Dictionary<string, string?>
        {
            ["Inference:Simulator:Fault"] = "500",
            ["Inference:Simulator:FaultRate"] = "0",
        });
        using var client = host.CreateClient();

        for (var i = 0; i < 50; i++)
        {
            using var response = await Sse.PostAsync(client, "/v1/chat/completions", s_chat);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void FaultRate_OutOfRange_FailsNamingTheKey(double rate)
    {
        var options = new SimulatorOptions { FaultRate = rate };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains("Inference:Simulator:FaultRate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FaultHeader_Timeout_NeverAnswers()
    {
        using var client = fixture.Host.CreateClient();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/chat/completions", UriKind.Relative))
        {
            Content = System.Net.Http.Json.JsonContent.Create(s_chat),
        };
        request.Headers.Add("aig-sim-fault", "timeout");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(request, cancel.Token));
    }

    [Fact]
    public async Task FaultHeader_DropMidStreamNonStreamed_ConnectionAbortedWithoutBody()
    {
        using var client = Wait.RealClient(fixture.Host.BaseAddress);

        await Assert.ThrowsAsync<HttpRequestException>(() => Sse.PostAsync(client, "/v1/chat/completions", s_chat, "drop-mid-stream"));
    }

    [Fact]
    public async Task ConfiguredDropMidStream_OfficialSdkStreaming_ThrowsAfterSomeContent()
    {
        using var host = WorkerHost.Simulator(new Dictionary<string, string?> { ["Inference:Simulator:Fault"] = "drop-mid-stream" }, kestrel: true);
        var received = 0;

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var update in host.ChatClient().CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
            {
                received += update.ContentUpdate.Count(p => p.Text.Length > 0);
                Assert.Null(update.FinishReason);
            }
        });
        Assert.InRange(received, 0, 3);
    }

    public sealed class AllowHeaderFixture : IDisposable
    {
        public WorkerHost Host { get; } = WorkerHost.Simulator(
            new Dictionary<string, string?> { ["Inference:Simulator:AllowFaultHeader"] = "true" }, kestrel: true);

        public void Dispose() => Host.Dispose();
    }
}
