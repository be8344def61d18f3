using System.Net;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.ServiceDefaults.Workers;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Tests.Routing;

/// <summary>
/// <c>GET /v1/admin/backends</c>: only with the master key (admin tokens: AdminTokenAccessTests); every model with every target (configured and announced),
/// its state, requests in flight, announced queue and the last minute's attempts, as this replica saw them.
/// </summary>
public sealed class BackendsEndpointTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string MasterKey = "sk-aig-master-backends-tests-0123456789abc";
    private const int ConsecutiveFailures = 2;

    private static async Task<HttpResponseMessage> GetBackendsAsync(TestGateway gateway, string? authorization)
    {
        using var client = new HttpClient { BaseAddress = gateway.Url, Timeout = TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/admin/backends");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await client.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(TestGateway gateway, string? authorization)
    {
        using var response = await GetBackendsAsync(gateway, authorization);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_api_key", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("authentication_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    private static JsonElement Model(JsonElement backends, string name) =>
        backends.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("model").GetString() == name);

    private static JsonElement Target(JsonElement model, string name) =>
        model.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Backends_WithoutOrWithAWrongMasterKey_Returns401InOpenAIShape()
    {
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?> { ["AIPLATFORM_MASTER_KEY"] = MasterKey });

        await AssertRefusedAsync(gateway, null);
        await AssertRefusedAsync(gateway, "Bearer sk-aig-master-backends-test");
        await AssertRefusedAsync(gateway, "Basic " + Convert.ToBase64String("admin:"u8.ToArray()));
        // A valid virtual key is a caller's credential, not an administrator's.
        await AssertRefusedAsync(gateway, "Bearer " + gateway.ApiKey);
        using var accepted = await GetBackendsAsync(gateway, "Bearer " + MasterKey);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Backends_NoMasterKeyConfigured_RefusesEveryCredential()
    {
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>());

        await AssertRefusedAsync(gateway, "Bearer " + MasterKey);
        await AssertRefusedAsync(gateway, "Bearer ");
    }

    [Fact]
    public async Task Backends_AfterTrafficWithAFailingTarget_EveryTargetWithStateLoadAndLastMinute()
    {
        await using var steady = SimulatorWorker.Start();
        await using var flaky = await ScriptedProvider.StartAsync((_, context) =>
            ScriptedProvider.Error(context, StatusCodes.Status500InternalServerError, "server_error", null, "broken"));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var held = await ScriptedProvider.StartAsync(async (_, context) =>
        {
            await release.Task;
            await ScriptedProvider.Completion(context, "held");
        });
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["AIPLATFORM_MASTER_KEY"] = MasterKey,
            ["Gateway:Workers:RefreshInterval"] = "00:00:00.200",
            ["Gateway:Models:0:Name"] = "sim",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = steady.ApiUrl,
            ["Gateway:Models:0:Targets:0:Name"] = "steady",
            ["Gateway:Models:0:Targets:1:BaseUrl"] = flaky.ApiUrl,
            ["Gateway:Models:0:Targets:1:Name"] = "flaky",
            ["Gateway:Models:0:Targets:1:Model"] = "flaky-model",
            ["Gateway:Models:1:Name"] = "held",
            ["Gateway:Models:1:Strategy"] = "LeastBusy",
            ["Gateway:Models:1:Targets:0:BaseUrl"] = held.ApiUrl,
            ["Gateway:Models:1:Targets:0:Name"] = "held",
            ["Gateway:Models:1:Fallbacks:0"] = "sim",
            ["Gateway:Resilience:Outliers:ConsecutiveFailures"] = ConsecutiveFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Out for the rest of the test once ejected; only the consecutive-failure rule.
            ["Gateway:Resilience:Outliers:BaseEjection"] = "00:02:00",
            ["Gateway:Resilience:Outliers:MinimumRequests"] = "100000",
        });
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var workerId = "backends-" + Guid.NewGuid().ToString("n")[..8];
        var announcedAt = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        await AnnounceAsync(connection.GetDatabase(), workerId, announcedAt, waiting: 3);
        using var client = gateway.CreateClient();

        // 1. Traffic to "sim" until the flaky target is ejected; each of its failures is retried on the steady one.
        var sent = 0;
        while (flaky.Requests < ConsecutiveFailures || sent < 10)
        {
            Assert.True(sent < 200, "the flaky target was hardly ever chosen");
            using var response = await TestGateway.PostChatAsync(client, "sim");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            sent++;
        }

        // 2. One request held at its target while the list is read.
        var heldRequest = TestGateway.PostChatAsync(client, "held");
        await Eventually.TrueAsync(() => Task.FromResult(held.Requests == 1), TestTimeouts.Default, "the held request never reached its target");
        JsonElement backends;
        try
        {
            backends = await Eventually.ResultAsync(async () =>
            {
                using var response = await GetBackendsAsync(gateway, "Bearer " + MasterKey);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return json.RootElement.Clone();
            }, b => b.GetProperty("data").EnumerateArray().Any(m => m.GetProperty("model").GetString() == "announced"), TestTimeouts.Default);
        }
        finally
        {
            release.SetResult();
            using var answered = await heldRequest.WaitAsync(TestTimeouts.Default);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            await connection.GetDatabase().KeyDeleteAsync(WorkerDirectoryKeys.Of(workerId));
        }

        Assert.Equal("list", backends.GetProperty("object").GetString());

        var sim = Model(backends, "sim");
        Assert.Equal("PowerOfTwoChoices", sim.GetProperty("strategy").GetString());
        Assert.Empty(sim.GetProperty("fallbacks").EnumerateArray());
        Assert.Equal(2, sim.GetProperty("targets").GetArrayLength());

        var ejected = Target(sim, "flaky");
        Assert.Equal("ejected", ejected.GetProperty("state").GetString());
        Assert.Equal(flaky.ApiUrl + "/", ejected.GetProperty("address").GetString());
        Assert.Equal("openai-compatible", ejected.GetProperty("provider").GetString());
        Assert.Equal("flaky-model", ejected.GetProperty("served_model").GetString());
        Assert.Equal(0, ejected.GetProperty("in_flight").GetInt32());
        Assert.Equal(JsonValueKind.Null, ejected.GetProperty("waiting").ValueKind);
        Assert.False(ejected.GetProperty("announced").GetBoolean());
        var failing = ejected.GetProperty("recent");
        Assert.Equal(ConsecutiveFailures, failing.GetProperty("requests").GetInt32());
        Assert.Equal(ConsecutiveFailures, failing.GetProperty("errors").GetInt32());
        Assert.Equal(1.0, failing.GetProperty("error_rate").GetDouble());
        Assert.Equal(JsonValueKind.Null, failing.GetProperty("latency_ms_p50").ValueKind);
        Assert.Equal(60, failing.GetProperty("window_seconds").GetInt32());

        var up = Target(sim, "steady");
        Assert.Equal("up", up.GetProperty("state").GetString());
        Assert.Equal("sim", up.GetProperty("served_model").GetString());
        var answering = up.GetProperty("recent");
        Assert.Equal(sent, answering.GetProperty("requests").GetInt32());
        Assert.Equal(0, answering.GetProperty("errors").GetInt32());
        Assert.Equal(0.0, answering.GetProperty("error_rate").GetDouble());
        Assert.True(answering.GetProperty("latency_ms_p50").GetInt32() >= 0);
        Assert.True(answering.GetProperty("latency_ms_p95").GetInt32() >= answering.GetProperty("latency_ms_p50").GetInt32());

        var heldModel = Model(backends, "held");
        Assert.Equal("LeastBusy", heldModel.GetProperty("strategy").GetString());
        Assert.Equal(new[] { "sim" }, heldModel.GetProperty("fallbacks").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(1, Target(heldModel, "held").GetProperty("in_flight").GetInt32());

        var worker = Target(Model(backends, "announced"), $"simulator@{announcedAt.Authority}");
        Assert.True(worker.GetProperty("announced").GetBoolean());
        Assert.Equal("simulator", worker.GetProperty("provider").GetString());
        Assert.Equal(3, worker.GetProperty("waiting").GetInt32());
        Assert.Equal(new Uri(announcedAt, "v1/").AbsoluteUri, worker.GetProperty("address").GetString());
        Assert.Equal("up", worker.GetProperty("state").GetString());
        Assert.Equal(0, worker.GetProperty("recent").GetProperty("requests").GetInt32());
    }

    /// <summary>A worker's announcement, as InferenceWorker writes it, lasting the test.</summary>
    private static async Task AnnounceAsync(IDatabase database, string id, Uri address, int waiting)
    {
        var announcement = new WorkerAnnouncement
        {
            Id = id,
            Address = address.ToString(),
            Engine = "simulator",
            Models = ["announced"],
            Running = 1,
            Waiting = waiting,
            MaxRunning = 16,
            MaxWaiting = 256,
            UpdatedAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        await database.StringSetAsync(WorkerDirectoryKeys.Of(id), WorkerAnnouncementFormat.Serialize(announcement), TimeSpan.FromMinutes(1));
        await database.SetAddAsync(WorkerDirectoryKeys.Index, id);
    }
}
