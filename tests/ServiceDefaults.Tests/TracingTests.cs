using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AiPlatform.ServiceDefaults.Tests;

public sealed class TracingTests
{
    [Fact]
    public async Task Tracing_ProbeRequests_LeftOutWhileOtherRequestsRecorded()
    {
        var recorded = new RecordingProcessor();
        var (app, client) = await TestApp.StartAsync(
            b => b.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(recorded)),
            a =>
            {
                a.MapDefaultEndpoints();
                a.MapGet("/v1/traced", () => Results.Ok());
            });
        await using var _ = app;

        (await client.GetAsync(new Uri("/health", UriKind.Relative))).Dispose();
        (await client.GetAsync(new Uri("/alive", UriKind.Relative))).Dispose();
        (await client.GetAsync(new Uri("/v1/traced", UriKind.Relative))).Dispose();
        // The server's span ends after the response is sent, so the client can get here first.
        await recorded.Traced.WaitAsync(TimeSpan.FromSeconds(10));

        // Listeners are process-wide, so other tests' requests may be recorded too: look for these paths only.
        Assert.Contains("/v1/traced", recorded.Paths);
        Assert.DoesNotContain("/health", recorded.Paths);
        Assert.DoesNotContain("/alive", recorded.Paths);
    }

    private sealed class RecordingProcessor : BaseProcessor<Activity>
    {
        private readonly ConcurrentQueue<string> _paths = new();
        private readonly TaskCompletionSource _traced = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IEnumerable<string> Paths => _paths;

        /// <summary>Completes once the span of <c>/v1/traced</c> has ended.</summary>
        public Task Traced => _traced.Task;

        public override void OnEnd(Activity data)
        {
            if (data.Kind == ActivityKind.Server && data.GetTagItem("url.path") is string path)
            {
                _paths.Enqueue(path);
                if (path == "/v1/traced")
                {
                    _traced.TrySetResult();
                }
            }
        }
    }
}
