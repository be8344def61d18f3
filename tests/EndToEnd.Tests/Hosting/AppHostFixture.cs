namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>
/// One running platform for a collection of end-to-end tests: the AppHost as a process on free ports, all four
/// services healthy. Tests reach the services through the URLs and authenticate admin calls with <see cref="MasterKey"/>.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    /// <summary>A cold start on a loaded 2-core machine builds nothing but still starts six processes and may run initdb.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The AppHost creates the key once the services are healthy: one admin call, bounded there by 30 s.</summary>
    private static readonly TimeSpan s_devKeyTimeout = TimeSpan.FromSeconds(45);

    private AppHostProcess? _appHost;

    public AppHostProcess AppHost => _appHost ?? throw new InvalidOperationException("The AppHost has not been started.");

    public Uri GatewayUrl => AppHost.GatewayUrl;

    public Uri UsageApiUrl => AppHost.UsageApiUrl;

    public Uri InferenceUrl => AppHost.InferenceUrl;

    public Uri DashboardUrl => AppHost.DashboardUrl;

    /// <summary>The admin key the AppHost generated and gave every service.</summary>
    public string MasterKey { get; private set; } = "";

    /// <summary>The virtual key the AppHost created at its first start, kept in its data folder and printed.</summary>
    public string DevKey { get; private set; } = "";

    /// <summary>The AppHost's output so far, to attach to a failing assertion.</summary>
    public string Output => AppHost.Output;

    public async Task InitializeAsync()
    {
        _appHost = AppHostProcess.Start();
        try
        {
            await _appHost.WaitUntilHealthyAsync(StartTimeout).WaitAsync(StartTimeout + TimeSpan.FromSeconds(10));
            MasterKey = await _appHost.ReadMasterKeyAsync().WaitAsync(TimeSpan.FromSeconds(10));
            DevKey = await _appHost.ReadDevelopmentKeyAsync(s_devKeyTimeout).WaitAsync(s_devKeyTimeout + TimeSpan.FromSeconds(5));
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization failed.
            await _appHost.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_appHost is not null)
        {
            await _appHost.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
