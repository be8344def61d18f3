using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiPlatform.UsageApi.Tests.AdminAccess;

/// <summary>
/// Every log entry of a UsageApi, of every category and level, formatted: for counting an event and for checking that no
/// entry holds a secret. (<see cref="Testing.LogCapture"/> keeps entries by event id only and from Information up.)
/// </summary>
internal sealed class AllLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, int EventId, string Message)> _entries = new();

    public IReadOnlyList<(string Category, int EventId, string Message)> Entries => [.. _entries];

    public IReadOnlyList<string> Messages(int eventId) => [.. _entries.Where(e => e.EventId == eventId).Select(e => e.Message)];

    /// <summary><paramref name="factory"/> with this capture added, seeing every level whatever the host's filters say.</summary>
    public WebApplicationFactory<Program> AddTo(WebApplicationFactory<Program> factory) => factory.WithWebHostBuilder(web =>
        web.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(this);
            // A rule for this provider beats every rule without one, whatever its category.
            services.Configure<LoggerFilterOptions>(options => options.Rules.Add(new LoggerFilterRule(typeof(AllLogs).FullName, null, LogLevel.Trace, null)));
        }));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(AllLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs._entries.Enqueue((category, eventId.Id, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }
}
