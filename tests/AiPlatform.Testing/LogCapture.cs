using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiPlatform.Testing;

/// <summary>
/// Collects a service's log entries so that a test can count them by event id, or wait for an event that has no other
/// outward sign (a refused configuration change leaves routing exactly as it was).
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, LogLevel Level, string Message)> _entries = new();

    /// <summary>
    /// Adds the capture to a service's services, with <paramref name="category"/> (a namespace) logged from
    /// <paramref name="minimum"/> (Information unless told) up although the test host may log only warnings.
    /// </summary>
    public Action<IServiceCollection> For(string category, LogLevel minimum = LogLevel.Information) => services =>
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(options => options.Rules.Add(new LoggerFilterRule(null, category, minimum, null)));
    };

    public IReadOnlyList<string> Messages(int eventId) => [.. _entries.Where(e => e.EventId == eventId).Select(e => e.Message)];

    /// <summary>Every entry at <paramref name="minimum"/> or above, as "level: message".</summary>
    public IReadOnlyList<string> AtLeast(LogLevel minimum) => [.. _entries.Where(e => e.Level >= minimum).Select(e => $"{e.Level}: {e.Message}")];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._entries.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}
