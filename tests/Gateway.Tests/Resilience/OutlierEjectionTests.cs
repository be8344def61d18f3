using System.Diagnostics;
using System.Net;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.Gateway.Tests.Resilience;

/// <summary>
/// Outlier ejection end to end: a target that keeps failing is taken out of rotation for the ejection time, then one
/// request probes it, and once it answers it takes its share again.
/// </summary>
public sealed class OutlierEjectionTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const int ConsecutiveFailures = 3;
    private static readonly TimeSpan s_ejection = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Chat_TargetFailsRepeatedly_EjectedThenProbedBackIntoRotation()
    {
        await using var flaky = await ScriptedProvider.StartAsync((_, context) =>
            ScriptedProvider.Error(context, StatusCodes.Status500InternalServerError, "server_error", null, "broken"));
        await using var steady = SimulatorWorker.Start();
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["Gateway:Models:0:Name"] = "sim",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = flaky.ApiUrl,
            ["Gateway:Models:0:Targets:1:BaseUrl"] = steady.ApiUrl,
            ["Gateway:Resilience:Outliers:ConsecutiveFailures"] = ConsecutiveFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:Resilience:Outliers:BaseEjection"] = s_ejection.ToString(),
            // Only the consecutive-failure rule: the ratio rule has its own unit tests.
            ["Gateway:Resilience:Outliers:MinimumRequests"] = "100000",
        });
        using var client = gateway.CreateClient();

        // 1. Each failure of the flaky target is retried on the steady one, until the flaky one has failed enough times.
        for (var i = 0; flaky.Requests < ConsecutiveFailures; i++)
        {
            Assert.True(i < 200, "the flaky target was hardly ever chosen");
            await AssertServedByAsync(client, steady.Authority);
        }

        // 2. Ejected: for most of the ejection time no request reaches it. (The ejection began before the last answer
        // was sent, so the time measured here is within it.)
        var ejected = Stopwatch.StartNew();
        var whileEjected = 0;
        while (ejected.Elapsed < s_ejection / 2)
        {
            var attempts = await AssertServedByAsync(client, steady.Authority);
            Assert.Equal("1", attempts);
            whileEjected++;
        }

        Assert.Equal(ConsecutiveFailures, flaky.Requests);
        Assert.True(whileEjected > 0);

        // 3. It recovers; once the ejection is over, a request probes it and gets its answer.
        flaky.Script = (_, context) => ScriptedProvider.Completion(context, "sim");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(deadline.Elapsed < TestTimeouts.Default, "the recovered target was never probed");
            using var response = await TestGateway.PostChatAsync(client, "sim");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (response.Header("aig-target") == flaky.Authority)
            {
                break;
            }
        }


        // 4. Back in rotation: it takes its share (two choices between two idle targets: all 20 elsewhere has odds of 2^-20).
        var targets = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await TestGateway.PostChatAsync(client, "sim");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("1", response.Header("aig-attempts"));
            targets.Add(response.Header("aig-target"));
        }

        Assert.Contains(flaky.Authority, targets);
        Assert.Contains(steady.Authority, targets);
    }

    /// <summary>Sends one request, checks it succeeded from <paramref name="target"/>, and returns its <c>aig-attempts</c>.</summary>
    private static async Task<string> AssertServedByAsync(HttpClient client, string target)
    {
        using var response = await TestGateway.PostChatAsync(client, "sim");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(target, response.Header("aig-target"));
        return response.Header("aig-attempts");
    }
}
