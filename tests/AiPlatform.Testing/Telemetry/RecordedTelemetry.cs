using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace AiPlatform.Testing.Telemetry;

/// <summary>
/// Everything a service records, as text to search: every log entry of every category and level (message, structured
/// values, scopes, exception), every span (name, tags, events) and every metric point's tags. For the tests that a
/// secret never reaches a log, a trace or a metric.
/// </summary>
/// <remarks>Thread-safe: the service records from its own threads, also while a test reads.</remarks>
public sealed class RecordedTelemetry
{
    // What a display prefix never shows of a secret (sk-aig-AbCd… shows 11 characters of 50): a piece this long of one
    // found anywhere is a leak, whatever was cut or escaped around it.
    private const int HiddenPartLength = 24;

    private readonly EverythingLogged _logs = new();
    private readonly LockedList<Activity> _spans = new();
    private readonly LockedList<Metric> _metrics = new();

    /// <summary>Every log entry so far, as "message | values | exception" or "scope: values".</summary>
    public IReadOnlyList<string> Logs => _logs.Texts;

    /// <summary>
    /// Adds the recording to a service's services: a logger provider that every category reaches at every level, whatever
    /// the service's own filters say, and in-memory exporters beside the service's own.
    /// </summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(_logs);
        // A rule naming the provider beats every rule that names none, appsettings' "Microsoft.AspNetCore": "Warning" among them.
        services.Configure<LoggerFilterOptions>(options =>
            options.Rules.Add(new LoggerFilterRule(typeof(EverythingLogged).FullName, null, LogLevel.Trace, null)));
        services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddInMemoryExporter(_spans))
            .WithMetrics(metrics => metrics.AddInMemoryExporter(_metrics));
    }

    /// <summary>
    /// Everything recorded so far as text, after the service's tracer and meter providers (from
    /// <paramref name="services"/>, the service's own) exported what they held.
    /// </summary>
    public IReadOnlyList<string> Collect(IServiceProvider services)
    {
        services.GetRequiredService<TracerProvider>().ForceFlush();
        services.GetRequiredService<MeterProvider>().ForceFlush();
        return [.. Logs, .. _spans.Snapshot().SelectMany(SpanTexts), .. _metrics.Snapshot().SelectMany(MetricTexts)];
    }

    /// <summary>Fails naming the secret and the text when any recorded text holds the hidden part of one of <paramref name="secrets"/>.</summary>
    /// <param name="recorded">What <see cref="Collect"/> returned.</param>
    /// <param name="secrets">Each with a name for the failure message (the message shows the text, never the whole secret).</param>
    public static void AssertNoneHolds(IReadOnlyList<string> recorded, IEnumerable<(string Name, string Value)> secrets)
    {
        foreach (var (name, value) in secrets)
        {
            Assert.True(value.Length > HiddenPartLength, $"The secret '{name}' is too short to search for.");
            var hidden = value[^HiddenPartLength..];
            if (recorded.FirstOrDefault(text => text.Contains(hidden, StringComparison.Ordinal)) is { } leak)
            {
                Assert.Fail($"The {name} was recorded: {leak}");
            }
        }
    }

    private static IEnumerable<string> SpanTexts(Activity span) =>
        [span.DisplayName, span.OperationName, span.StatusDescription ?? "", .. span.TagObjects.Select(t => $"{t.Key}={t.Value}"),
            .. span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}").Append(e.Name))];

    private static IEnumerable<string> MetricTexts(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var text = new StringBuilder(metric.Name);
            foreach (var tag in point.Tags)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            }

            yield return text.ToString();
        }
    }

    /// <summary>Every entry of every category and level: its message, its structured values, its scopes and its exception.</summary>
    private sealed class EverythingLogged : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _texts = new();

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

    /// <summary>
    /// What an in-memory exporter adds to, from the service's threads (a request's span ends on the request's), so that
    /// a test may read while it grows. The exporters only add.
    /// </summary>
    private sealed class LockedList<T> : Collection<T>
    {
        public T[] Snapshot()
        {
            lock (Items)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (Items)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
