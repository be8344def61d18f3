using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AiPlatform.Gateway.Tests.Auth;

/// <summary>
/// Traffic with known secrets (a virtual key, a wrong one, the master key, a wrong one, a provider's key), then every
/// log entry (message, structured values, exception), every span (name, tags, events) and every metric point's tags the
/// Gateway produced are searched for them. None may appear.
/// </summary>
public sealed class SecretsNeverRecordedTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string MasterKey = "sk-aig-master-never-recorded-0123456789abcdef";
    private const string WrongMasterKey = "sk-aig-master-never-recorded-0123456789abcdeX";
    private const string ProviderKey = "sk-provider-never-recorded-0123456789abcdef";

    [Fact]
    public async Task Traffic_WithKnownSecrets_NoLogSpanOrMetricHoldsOne()
    {
        var logs = new EverythingLogged();
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        await using var worker = SimulatorWorker.Start();
        string? providerSaw = null;
        await using var provider = await ScriptedProvider.StartAsync((_, context) =>
        {
            providerSaw = context.Request.Headers.Authorization.ToString();
            return ScriptedProvider.Completion(context);
        });
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["AIPLATFORM_MASTER_KEY"] = MasterKey,
            ["Gateway:Models:0:Name"] = "sim",
            ["Gateway:Models:0:Targets:0:BaseUrl"] = worker.ApiUrl,
            ["Gateway:Models:1:Name"] = "provider",
            ["Gateway:Models:1:Targets:0:BaseUrl"] = provider.ApiUrl,
            ["Gateway:Models:1:Targets:0:ApiKey"] = ProviderKey,
        }, services: services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.Configure<LoggerFilterOptions>(options => options.Rules.Add(new LoggerFilterRule(null, null, LogLevel.Trace, null)));
            services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddInMemoryExporter(spans))
                .WithMetrics(meters => meters.AddInMemoryExporter(metrics));
        });
        var wrongKey = "sk-aig-" + new string('w', 43);

        using (var client = gateway.CreateClient())
        {
            await SendChatAsync(client, gateway.ApiKey, "sim", stream: false, HttpStatusCode.OK);
            await SendChatAsync(client, gateway.ApiKey, "sim", stream: true, HttpStatusCode.OK);
            await SendChatAsync(client, gateway.ApiKey, "provider", stream: false, HttpStatusCode.OK);
            // Unknown keys: 401, or 503 here, where no UsageApi answers the lookup after Redis' miss; refused either way.
            await SendChatAsync(client, wrongKey, "sim", stream: false, null);
            await SendChatAsync(client, MasterKey, "sim", stream: false, null);
            await SendAdminAsync(client, MasterKey, HttpStatusCode.OK);
            await SendAdminAsync(client, WrongMasterKey, HttpStatusCode.Unauthorized);
            await SendAdminAsync(client, gateway.ApiKey, HttpStatusCode.Unauthorized);
        }

        gateway.Services.GetRequiredService<TracerProvider>().ForceFlush();
        gateway.Services.GetRequiredService<MeterProvider>().ForceFlush();
        Assert.Equal("Bearer " + ProviderKey, providerSaw);
        var recorded = logs.Texts.Concat(spans.SelectMany(SpanTexts)).Concat(metrics.SelectMany(MetricTexts)).ToList();
        // The captures saw the requests where a secret would most likely slip: the refusals' log lines, the spans' URLs.
        Assert.Contains(logs.Texts, text => text.Contains("Rejected admin request GET /v1/admin/backends", StringComparison.Ordinal));
        Assert.Contains(recorded, text => text.Contains("/v1/chat/completions", StringComparison.Ordinal));
        Assert.NotEmpty(metrics);
        foreach (var secret in new[] { gateway.ApiKey, wrongKey, MasterKey, WrongMasterKey, ProviderKey })
        {
            // The part after the public prefix: a display prefix such as "sk-aig-AbCd…" may be recorded, the rest never.
            var hidden = secret[^24..];
            Assert.DoesNotContain(recorded, text => text.Contains(hidden, StringComparison.Ordinal));
        }
    }

    // expected: the status, or null for any refusal.
    private static async Task SendChatAsync(HttpClient client, string key, string model, bool stream, HttpStatusCode? expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model, stream, messages = new[] { new { role = "user", content = "hello" } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        if (expected is { } status)
        {
            Assert.Equal(status, response.StatusCode);
        }
        else
        {
            Assert.False(response.IsSuccessStatusCode, $"{model} with a wrong key answered {(int)response.StatusCode}");
        }
    }

    private static async Task SendAdminAsync(HttpClient client, string credential, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/admin/backends");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    private static IEnumerable<string> SpanTexts(Activity span) =>
        [span.DisplayName, span.OperationName, .. span.TagObjects.Select(t => $"{t.Key}={t.Value}"),
            .. span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}").Append(e.Name))];

    private static IEnumerable<string> MetricTexts(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var texts = new StringBuilder(metric.Name);
            foreach (var tag in point.Tags)
            {
                texts.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            }

            yield return texts.ToString();
        }
    }

    /// <summary>Every entry of every category and level: its message, its structured values and its exception.</summary>
    private sealed class EverythingLogged : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _texts = new();

        public IReadOnlyList<string> Texts => [.. _texts];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(EverythingLogged owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                owner._texts.Enqueue("scope: " + Describe(state));
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._texts.Enqueue($"{formatter(state, exception)} | {Describe(state)} | {exception}");

            private static string Describe(object? state) => state is IEnumerable<KeyValuePair<string, object?>> values
                ? string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"))
                : state?.ToString() ?? "";
        }
    }
}
