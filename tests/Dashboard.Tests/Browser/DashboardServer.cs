using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.Dashboard.Tests.Browser;

/// <summary>
/// The real Dashboard on a real Kestrel socket on 127.0.0.1, for a browser to open: the in-memory TestServer of
/// <see cref="WebApplicationFactory{TEntryPoint}"/> has no port a browser could reach.
/// </summary>
/// <remarks>
/// As a class fixture it runs with no settings. Tests that need settings (for instance
/// <c>services:usageapi:http:0</c> pointing at a UsageApi they started) use <see cref="Start"/>.
/// </remarks>
public sealed class DashboardServer : IAsyncLifetime, IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private WebApplicationFactory<Program>? _factory;

    /// <summary>For xunit, which allows a fixture one public constructor only.</summary>
    public DashboardServer()
        : this(new Dictionary<string, string?>())
    {
    }

    private DashboardServer(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    /// <summary>The Dashboard's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Starts a Dashboard with these configuration settings (keys as in appsettings, <c>:</c>-separated).</summary>
    public static DashboardServer Start(IReadOnlyDictionary<string, string?> settings)
    {
        var server = new DashboardServer(settings);
        server.StartServer();
        return server;
    }

    Task IAsyncLifetime.InitializeAsync()
    {
        StartServer();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    private void StartServer()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in _settings)
            {
                web.UseSetting(key, value);
            }
        });
        Url = _factory.StartOnLoopback();
    }
}
