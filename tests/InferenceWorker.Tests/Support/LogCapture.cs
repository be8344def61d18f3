using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiPlatform.InferenceWorker.Tests.Support;

/// <summary>Collects a worker's log entries so that a test can count them by event id.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, LogLevel Level, string Message)> _entries = new();

    /// <summary>
    /// Adds the capture to a worker's services, with <paramref name="category"/> (a namespace) logged from Information
    /// up although <see cref="WorkerHost"/> logs only warnings.
    /// </summary>
    public Action<IServiceCollection> For(string category) => services =>
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(options => options.Rules.Add(new LoggerFilterRule(null, category, LogLevel.Information, null)));
    };

    public IReadOnlyList<string> Messages(int eventId) => [.. _entries.Where(e => e.EventId == eventId).Select(e => e.Message)];

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
