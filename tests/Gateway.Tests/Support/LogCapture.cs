using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AiPlatform.Gateway.Tests.Support;

/// <summary>
/// Collects a Gateway's log entries, so that a test can wait for an event that has no other outward sign (a refused
/// configuration change leaves routing exactly as it was).
/// </summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, string Message)> _entries = new();

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
            capture._entries.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
