using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Tests.Auth;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AiPlatform.Gateway.Tests.Telemetry;

/// <summary>
/// The Gateway's GenAI spans and metrics as an OpenTelemetry exporter receives them, for answers from a provider whose
/// answer is known to the byte (so every attribute can be compared with it) and from the simulator. Alone in their
/// collection: OpenTelemetry's listeners are process-wide, and other tests' servers would add their spans and points.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class GenAiTelemetryTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string ProviderKey = "sk-provider-telemetry-0123456789";

    [Fact]
    public async Task Chat_NonStreamed_SpanCarriesTheGenAiAttributesAndContinuesTheClientsTrace()
    {
        string? upstreamTraceparent = null;
        await using var provider = await ScriptedProvider.StartAsync((_, context) =>
        {
            upstreamTraceparent = context.Request.Headers["traceparent"].ToString();
            return ScriptedProvider.Completion(context, model: "provider-model-2026");
        });
        await using var telemetry = await StartAsync(provider.ApiUrl);

        var clientTraceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = ChatRequest(telemetry.Gateway.ApiKey, stream: false);
        request.Headers.Add("traceparent", $"00-{clientTraceId}-00f067aa0ba902b7-01");
        using var response = await telemetry.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var span = await telemetry.GenAiSpanAsync(response);
        Assert.Equal("chat gpt-test", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(clientTraceId, span.TraceId.ToHexString());
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gpt-test", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("provider-model-2026", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal("chatcmpl-scripted", span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(3, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(1, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(7, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(new Uri(provider.ApiUrl).Port, span.GetTagItem("server.port"));
        Assert.Equal(response.Header("aig-target"), span.GetTagItem("aig.target"));
        Assert.Equal(1, span.GetTagItem("aig.attempts"));
        Assert.Equal("bypass", span.GetTagItem("aig.cache.status"));
        Assert.Equal(response.Header("aig-request-id"), span.GetTagItem("aig.request.id"));
        Assert.StartsWith("key-", (string?)span.GetTagItem("aig.key.id"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        // Content only when switched on.
        Assert.Null(span.GetTagItem("gen_ai.input.messages"));
        Assert.Null(span.GetTagItem("gen_ai.output.messages"));

        // One trace: the client's, through the Gateway's server span and this one, to the attempt's HTTP span, whose id
        // the provider got as its parent.
        var spans = await telemetry.TraceAsync(span);
        var server = Assert.Single(spans, s => s.SpanId == span.ParentSpanId);
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal("Microsoft.AspNetCore", server.Source.Name);
        Assert.Equal("/v1/chat/completions", server.GetTagItem("url.path"));
        var attempt = Assert.Single(spans, s => s.ParentSpanId == span.SpanId);
        Assert.Equal(ActivityKind.Client, attempt.Kind);
        Assert.Equal($"00-{clientTraceId}-{attempt.SpanId.ToHexString()}-01", upstreamTraceparent);
    }

    [Fact]
    public async Task Chat_Streamed_ReadsIdModelAndFinishReasonFromTheChunksAndRecordsTimeToFirstToken()
    {
        await using var worker = SimulatorWorker.Start(("Inference:Simulator:TimeToFirstTokenMs", "0"), ("Inference:Simulator:InterTokenLatencyMs", "0"));
        await using var telemetry = await StartAsync(worker.ApiUrl, ("Gateway:Models:0:Targets:0:Model", "sim"));

        using var response = await telemetry.Client.SendAsync(ChatRequest(telemetry.Gateway.ApiKey, stream: true));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var chunks = body.Split("\n\n").Where(e => e.StartsWith("data: {", StringComparison.Ordinal))
            .Select(e => JsonElement.Parse(e["data: ".Length..])).ToList();

        var span = await telemetry.GenAiSpanAsync(response);
        Assert.Equal(chunks[0].GetProperty("id").GetString(), span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(chunks[0].GetProperty("model").GetString(), span.GetTagItem("gen_ai.response.model"));
        var finishReason = chunks.Select(c => c.GetProperty("choices")).Where(c => c.GetArrayLength() > 0)
            .Select(c => c[0].GetProperty("finish_reason")).Single(r => r.ValueKind == JsonValueKind.String).GetString();
        Assert.Equal(new[] { finishReason }, span.GetTagItem("gen_ai.response.finish_reasons"));
        // A configured target speaks OpenAI's API, whatever serves it (an announced worker names its engine).
        Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
        var usage = ReportedUsage(chunks);
        Assert.Equal(usage.Prompt, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(usage.Completion, span.GetTagItem("gen_ai.usage.output_tokens"));

        var metrics = telemetry.Metrics();
        var ttft = Assert.Single(Points(metrics, "gen_ai.server.time_to_first_token"));
        Assert.Equal(1, ttft.GetHistogramCount());
        Assert.Equal("chat", Tag(ttft, "gen_ai.operation.name"));
        Assert.Equal(1, Assert.Single(Points(metrics, "aiplatform.gateway.overhead")).GetHistogramCount());
    }

    [Fact]
    public async Task Metrics_TokensDurationAndCacheFollowTheConventions()
    {
        await using var provider = await ScriptedProvider.StartAsync((_, context) => ScriptedProvider.Completion(context));
        await using var telemetry = await StartAsync(provider.ApiUrl, ("Gateway:Cache:Enabled", "true"));

        for (var i = 0; i < 2; i++)
        {
            using var response = await telemetry.Client.SendAsync(ChatRequest(telemetry.Gateway.ApiKey, stream: false));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var metrics = telemetry.Metrics();
        var tokens = Points(metrics, "gen_ai.client.token.usage").ToList();
        // A miss and a hit, each reporting the provider's 3 in and 1 out.
        var input = tokens.Where(p => Tag(p, "gen_ai.token.type") == "input").ToList();
        Assert.Equal(6, input.Sum(p => p.GetHistogramSum()));
        Assert.Equal(2, tokens.Where(p => Tag(p, "gen_ai.token.type") == "output").Sum(p => p.GetHistogramSum()));
        Assert.Equal(["hit", "miss"], input.Select(p => Tag(p, "aig.cache.status")).Order());
        Assert.All(tokens, p => Assert.Equal("gpt-test", Tag(p, "gen_ai.request.model")));
        Assert.Equal([1, 4, 16], Bounds(tokens[0]).Take(3));

        var durations = Points(metrics, "gen_ai.client.operation.duration").ToList();
        Assert.Equal(2, durations.Sum(p => p.GetHistogramCount()));
        Assert.Equal(0.01, Bounds(durations[0]).First());
        Assert.Equal(1, Points(metrics, "aiplatform.gateway.cache.requests").Where(p => Tag(p, "aig.cache.status") == "hit").Sum(p => p.GetSumLong()));
        // The hit never went upstream, so only the miss has an overhead.
        Assert.Equal(1, Assert.Single(Points(metrics, "aiplatform.gateway.overhead")).GetHistogramCount());
        Assert.Empty(Points(metrics, "gen_ai.server.time_to_first_token"));
    }

    [Fact]
    public async Task TargetDown_SpanAndDurationCarryTheErrorType()
    {
        await using var telemetry = await StartAsync(TestGateway.ClosedTargetUrls(1)[0], ("Gateway:Resilience:DefaultAttempts", "1"));

        using var response = await telemetry.Client.SendAsync(ChatRequest(telemetry.Gateway.ApiKey, stream: false));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);

        var span = await telemetry.GenAiSpanAsync(response);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("upstream_unreachable", span.GetTagItem("error.type"));
        var duration = Assert.Single(Points(telemetry.Metrics(), "gen_ai.client.operation.duration"));
        Assert.Equal("upstream_unreachable", Tag(duration, "error.type"));
    }

    [Fact]
    public async Task ContentCapture_On_PutsPromptAndAnswerOnTheSpanInTheConventionsShape()
    {
        await using var provider = await ScriptedProvider.StartAsync((_, context) => ScriptedProvider.Completion(context));
        await using var telemetry = await StartAsync(provider.ApiUrl, ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true"));

        using var response = await telemetry.Client.SendAsync(ChatRequest(telemetry.Gateway.ApiKey, stream: false));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var span = await telemetry.GenAiSpanAsync(response);
        var input = JsonElement.Parse((string)span.GetTagItem("gen_ai.input.messages")!);
        Assert.Equal("""[{"role":"system","parts":[{"type":"text","content":"Be brief."}]},{"role":"user","parts":[{"type":"text","content":"hello"}]}]""",
            input.GetRawText());
        var output = JsonElement.Parse((string)span.GetTagItem("gen_ai.output.messages")!);
        Assert.Equal("""[{"role":"assistant","parts":[{"type":"text","content":"ok"}],"finish_reason":"stop"}]""", output.GetRawText());
    }

    [Fact]
    public async Task Rerank_SpanNamedRerankWithItsTokensAsInputAndNoMessagesEvenWithCaptureOn()
    {
        await using var provider = await ScriptedProvider.StartAsync((_, context) => ScriptedProvider.Json(context, ScriptedProvider.RerankAnswer), "rerank");
        await using var telemetry = await StartAsync(provider.ApiUrl, ("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/rerank")
        {
            Content = JsonContent.Create(new { model = "gpt-test", query = "capital of France", documents = new[] { "Paris is a city in Texas.", "The capital of France is Paris." } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", telemetry.Gateway.ApiKey);

        using var response = await telemetry.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var span = await telemetry.GenAiSpanAsync(response);
        Assert.Equal("rerank gpt-test", span.DisplayName);
        Assert.Equal("rerank", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("BAAI/bge-reranker-v2-m3", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal("rerank-8f1e0c2b9d7a4e65", span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(ScriptedProvider.RerankTokens, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(0, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Null(span.GetTagItem("gen_ai.input.messages"));
        Assert.Null(span.GetTagItem("gen_ai.output.messages"));
    }

    [Fact]
    public async Task RateLimitRefusal_IsCountedByTheLimitThatRefused()
    {
        await using var provider = await ScriptedProvider.StartAsync((_, context) => ScriptedProvider.Completion(context));
        await using var telemetry = await StartAsync(provider.ApiUrl);
        var limited = await TestKeys.SeedAsync(redis.ConnectionString, new KeyRecord { Id = "key-" + Guid.NewGuid().ToString("n"), Name = "limited", Rpm = 1 });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await telemetry.Client.SendAsync(ChatRequest(limited, stream: false));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var refusals = Assert.Single(Points(telemetry.Metrics(), "aiplatform.gateway.rate_limit.refusals"));
        Assert.Equal("requests", Tag(refusals, "aig.limit"));
        Assert.Equal(2, refusals.GetSumLong());
    }

    [Fact]
    public async Task PrometheusEndpoint_NeedsAnAdminCredential_AndServesTheGenAiMetrics()
    {
        await using var provider = await ScriptedProvider.StartAsync((_, context) => ScriptedProvider.Completion(context));
        await using var telemetry = await StartAsync(provider.ApiUrl);
        using (var response = await telemetry.Client.SendAsync(ChatRequest(telemetry.Gateway.ApiKey, stream: false)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var anonymous = await telemetry.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("authentication_error", JsonElement.Parse(await anonymous.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("type").GetString());
        using var withVirtualKey = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        withVirtualKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", telemetry.Gateway.ApiKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await telemetry.Client.SendAsync(withVirtualKey)).StatusCode);

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        using var scraped = await telemetry.Client.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.StartsWith("text/plain", scraped.Content.Headers.ContentType?.MediaType);
        var text = await scraped.Content.ReadAsStringAsync();
        Assert.Contains("gen_ai_client_token_usage", text);
        Assert.Contains("gen_ai_client_operation_duration_seconds_bucket{", text);
        Assert.Contains("gen_ai_request_model=\"gpt-test\"", text);
    }

    private const string MasterKey = "sk-aig-master-telemetry-tests-0123456789abcdef";

    private async Task<RecordingGateway> StartAsync(string targetUrl, params (string Key, string Value)[] settings)
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var configuration = new Dictionary<string, string?>
        {
            ["AIPLATFORM_MASTER_KEY"] = MasterKey,
            ["Gateway:Models:0:Name"] = "gpt-test",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = targetUrl,
            ["Gateway:Models:0:Targets:0:ApiKey"] = ProviderKey,
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        var gateway = await TestGateway.StartAsync(redis, configuration, services: services => services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddInMemoryExporter(spans))
            .WithMetrics(meters => meters.AddInMemoryExporter(metrics)));
        return new RecordingGateway(gateway, spans, metrics);
    }

    private static HttpRequestMessage ChatRequest(string key, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["model"] = "gpt-test",
                ["stream"] = stream,
                ["max_tokens"] = 7,
                ["messages"] = new[] { new { role = "system", content = "Be brief." }, new { role = "user", content = "hello" } },
            }.Concat(stream ? [new("stream_options", new { include_usage = true })] : []).ToDictionary()),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private static (int Prompt, int Completion) ReportedUsage(List<JsonElement> chunks)
    {
        var usage = chunks.Last(c => c.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object).GetProperty("usage");
        return (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32());
    }

    private static IEnumerable<MetricPoint> Points(IEnumerable<Metric> metrics, string name)
    {
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                yield return point;
            }
        }
    }

    private static List<double> Bounds(MetricPoint point)
    {
        var bounds = new List<double>();
        foreach (var bucket in point.GetHistogramBuckets())
        {
            bounds.Add(bucket.ExplicitBound);
        }

        return bounds;
    }

    private static string? Tag(MetricPoint point, string name)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    /// <summary>A Gateway whose spans and metrics go to in-memory exporters.</summary>
    private sealed class RecordingGateway(TestGateway gateway, List<Activity> spans, List<Metric> metrics) : IAsyncDisposable
    {
        public TestGateway Gateway { get; } = gateway;

        // Without propagation: this process's listeners would otherwise give the test's requests a span of their own and
        // put it in traceparent over the one a test sends.
        public HttpClient Client { get; } = new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = gateway.Url };

        /// <summary>The GenAI span of the request that got <paramref name="response"/>; spans end after the response is written.</summary>
        public async Task<Activity> GenAiSpanAsync(HttpResponseMessage response)
        {
            var requestId = response.Header("aig-request-id");
            return await Eventually.ResultAsync(
                () => Task.FromResult(Snapshot().SingleOrDefault(s => s.Source.Name == "AiPlatform.Gateway" && (string?)s.GetTagItem("aig.request.id") == requestId)),
                span => span is not null) ?? throw new InvalidOperationException("unreachable");
        }

        /// <summary>Every span of <paramref name="span"/>'s trace, once its server span (the last to end) is in.</summary>
        public Task<List<Activity>> TraceAsync(Activity span) => Eventually.ResultAsync(
            () => Task.FromResult(Snapshot().Where(s => s.TraceId == span.TraceId).ToList()),
            trace => trace.Any(s => s.SpanId == span.ParentSpanId));

        public IReadOnlyList<Metric> Metrics()
        {
            Gateway.Services.GetRequiredService<MeterProvider>().ForceFlush();
            lock (metrics)
            {
                var latest = metrics.ToList();
                metrics.Clear();
                return latest;
            }
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Gateway.DisposeAsync();
        }

        private List<Activity> Snapshot()
        {
            lock (spans)
            {
                return [.. spans.Where(s => s is not null)];
            }
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry, alone";
}
