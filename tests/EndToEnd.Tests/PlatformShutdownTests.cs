using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AiPlatform.EndToEnd.Tests.Hosting;
using AiPlatform.Testing;

namespace AiPlatform.EndToEnd.Tests;

/// <summary>The AppHost run as a developer runs it (a process, with the Aspire dashboard), then stopped as a terminal or a supervisor stops it.</summary>
public class PlatformShutdownTests
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_leftoverGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_traceTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AppHost_StartedThenInterrupted_PrintsWhereEverythingIsTracesAChatThenExitsLeavingNoProcessAndNoPort()
    {
        await using var appHost = AppHostProcess.Start();
        await appHost.WaitUntilHealthyAsync(AppHostFixture.StartTimeout).WaitAsync(AppHostFixture.StartTimeout + TimeSpan.FromSeconds(10));
        await appHost.WaitForOutputAsync("ApiKeyCredential", TimeSpan.FromSeconds(60));
        await appHost.WaitForOutputAsync("(sign in with the master key in", TimeSpan.FromSeconds(60));
        var running = appHost.RunProcesses().Select(ProcessTable.CommandLine).ToList();
        var trace = await ChatTraceInDashboardAsync(appHost);

        var exitCode = await appHost.StopAsync(Signals.SigInt, s_stopTimeout).WaitAsync(s_stopTimeout + TimeSpan.FromSeconds(5));

        Assert.Contains($"Login to the dashboard at http://127.0.0.1:{appHost.DashboardPort}/login?t=", appHost.Output, StringComparison.Ordinal);
        Assert.Contains($"Gateway: http://localhost:{appHost.Ports.Gateway}/", appHost.Output, StringComparison.Ordinal);
        Assert.Contains("Development key (created now, kept in", appHost.Output, StringComparison.Ordinal);
        Assert.Contains($"Dashboard: http://localhost:{appHost.Ports.Dashboard} (sign in with the master key in ", appHost.Output, StringComparison.Ordinal);
        Assert.Contains("\"gateway\"", trace, StringComparison.Ordinal);
        Assert.Contains("\"inference-0\"", trace, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-aig-", trace, StringComparison.Ordinal);
        // DCP, the dashboard, Redis, Postgres and the four services at least.
        Assert.True(running.Count >= 8, $"Only {running.Count} processes of the run were found while it ran.");
        Assert.Contains(running, commandLine => commandLine.Contains("redis-server", StringComparison.Ordinal));
        Assert.Contains(running, commandLine => commandLine.Contains("postgres -D", StringComparison.Ordinal));
        await AssertStoppedCleanlyAsync(appHost, exitCode);
    }

    [Fact]
    public async Task AppHost_Terminated_ExitsLeavingNoProcessAndNoPort()
    {
        await using var appHost = AppHostProcess.Start();
        await appHost.WaitUntilHealthyAsync(AppHostFixture.StartTimeout).WaitAsync(AppHostFixture.StartTimeout + TimeSpan.FromSeconds(10));

        var exitCode = await appHost.StopAsync(Signals.SigTerm, s_stopTimeout).WaitAsync(s_stopTimeout + TimeSpan.FromSeconds(5));

        await AssertStoppedCleanlyAsync(appHost, exitCode);
    }

    /// <summary>
    /// Sends one chat request with a trace id of the test's own, then reads that trace from the Aspire dashboard's
    /// telemetry API once both the Gateway's and the InferenceWorker's spans are in it. The API refuses a caller without
    /// the key: the dashboard is not anonymous. The services do not wait for the dashboard, so on a busy machine it may
    /// still be starting when they are healthy; spans exported before it listens are dropped, as in any OTLP setup.
    /// </summary>
    private static async Task<string> ChatTraceInDashboardAsync(AppHostProcess appHost)
    {
        using var http = AppHostProcess.NewHttpClient();
        await WaitUntilDashboardAnswersAsync(appHost, http);
        var devKey = (await File.ReadAllTextAsync(Path.Combine(appHost.DataDirectory, "dev-key"))).Trim();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var chat = new HttpRequestMessage(HttpMethod.Post, new Uri(appHost.Ports.UrlOf(appHost.Ports.Gateway), "/v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"sim","messages":[{"role":"user","content":"Follow me through the platform."}]}""", Encoding.UTF8, "application/json"),
        };
        chat.Headers.Authorization = new AuthenticationHeaderValue("Bearer", devKey);
        chat.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using (var answer = await http.SendAsync(chat))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        var traceUrl = new Uri($"http://127.0.0.1:{appHost.DashboardPort}/api/telemetry/traces/{traceId}");
        using (var anonymous = await http.GetAsync(traceUrl))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var started = Stopwatch.StartNew();
        var (status, body) = (HttpStatusCode.NotFound, "");
        while (!(body.Contains("\"gateway\"", StringComparison.Ordinal) && body.Contains("\"inference-0\"", StringComparison.Ordinal)))
        {
            Assert.True(
                started.Elapsed < s_traceTimeout,
                $"The dashboard did not hold the Gateway's and the worker's spans of trace {traceId} within {s_traceTimeout}; it last answered {(int)status}: {body}{Environment.NewLine}The AppHost's output:{Environment.NewLine}{appHost.Output}");

            // Services export in batches every few seconds.
            await Task.Delay(TimeSpan.FromSeconds(1));
            (status, body) = await GetWithDashboardKeyAsync(appHost, http, traceUrl);
        }

        return body;
    }

    /// <summary>Waits until the dashboard's telemetry API answers an unknown trace with 404: it listens, and so does its OTLP receiver.</summary>
    private static async Task WaitUntilDashboardAnswersAsync(AppHostProcess appHost, HttpClient http)
    {
        var probe = new Uri($"http://127.0.0.1:{appHost.DashboardPort}/api/telemetry/traces/{ActivityTraceId.CreateRandom().ToHexString()}");
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await GetWithDashboardKeyAsync(appHost, http, probe)).Status == HttpStatusCode.NotFound)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(started.Elapsed < s_traceTimeout, $"The Aspire dashboard did not answer within {s_traceTimeout}. The AppHost's output:{Environment.NewLine}{appHost.Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetWithDashboardKeyAsync(AppHostProcess appHost, HttpClient http, Uri url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "x-api-key", appHost.DashboardApiKey } } };
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task AssertStoppedCleanlyAsync(AppHostProcess appHost, int exitCode)
    {
        Assert.True(exitCode == 0, $"The AppHost exited with {exitCode}.{Environment.NewLine}{appHost.Output}");
        Assert.Empty(await appHost.LeftoversAfterAsync(s_leftoverGrace));
        Assert.DoesNotContain(appHost.AllPorts, FreePort.IsInUse);
    }
}
