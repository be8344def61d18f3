using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>
/// One running platform for a collection of end-to-end tests: the real AppHost started in-process by Aspire's
/// testing builder, on free ports with a data folder of its own under /tmp (which the postgres user can enter), every
/// resource healthy as Aspire's notifications report it. Tests reach the services through the URLs and authenticate
/// admin calls with <see cref="MasterKey"/>.
/// </summary>
public class AppHostFixture : IAsyncLifetime
{
    /// <summary>A cold start on a loaded 2-core machine builds nothing but still starts six processes and may run initdb.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromMinutes(1);

    private readonly int _inferenceReplicas;
    private readonly IReadOnlyList<string> _arguments;
    private DistributedApplication? _app;

    public AppHostFixture()
        : this(inferenceReplicas: 1)
    {
    }

    /// <param name="inferenceReplicas">Simulator workers.</param>
    /// <param name="arguments">More of the AppHost's options, for the resources in <paramref name="resources"/>.</param>
    /// <param name="resources">Resources those options add, waited for like the others.</param>
    protected AppHostFixture(int inferenceReplicas, IReadOnlyList<string>? arguments = null, IReadOnlyList<string>? resources = null)
    {
        _inferenceReplicas = inferenceReplicas;
        _arguments = arguments ?? [];
        Ports = AppHostPorts.Allocate(inferenceReplicas);
        Resources = ["cache", "pg", "usagedb", "usageapi", .. Enumerable.Range(0, inferenceReplicas).Select(i => $"inference-{i}"), .. resources ?? [], "gateway", "dashboard"];
    }

    /// <summary>Every resource of the app model that has a process behind it, plus the database.</summary>
    public IReadOnlyList<string> Resources { get; }

    public AppHostPorts Ports { get; }

    public string DataDirectory { get; } = Path.Combine("/tmp", $"aiplatform-e2e-{Guid.NewGuid():N}");

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not been started.");

    public Uri GatewayUrl => Ports.UrlOf(Ports.Gateway);

    public Uri UsageApiUrl => Ports.UrlOf(Ports.UsageApi);

    public Uri InferenceUrl => Ports.UrlOf(Ports.Inference);

    public Uri DashboardUrl => Ports.UrlOf(Ports.Dashboard);

    /// <summary>The admin key the AppHost generated into its data folder and gave every service.</summary>
    public string MasterKey { get; private set; } = "";

    /// <summary>The virtual key the AppHost created once the Gateway was ready, kept in its data folder.</summary>
    public string DevKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.AppHost>([.. Ports.Arguments, "--inference-replicas", $"{_inferenceReplicas}", "--data-dir", DataDirectory, .. _arguments])
            .WaitAsync(StartTimeout);
        _app = await builder.BuildAsync().WaitAsync(StartTimeout);
        try
        {
            await _app.StartAsync().WaitAsync(StartTimeout);
            using var started = new CancellationTokenSource(StartTimeout);
            await Task.WhenAll(Resources.Select(name => _app.ResourceNotifications.WaitForResourceHealthyAsync(name, started.Token)));
            await _app.ResourceNotifications.WaitForResourceAsync("dev-key", KnownResourceStates.Running, started.Token);
            MasterKey = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "master-key"))).Trim();
            DevKey = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "dev-key"))).Trim();
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization failed.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>The lines a resource has logged so far (its console output, or the AppHost's messages about it).</summary>
    public async Task<string> LogOfAsync(string resource, string until, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var lines = new List<string>();
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        try
        {
            await foreach (var batch in logs.WatchAsync(resource).WithCancellation(cancellation.Token))
            {
                lines.AddRange(batch.Select(line => line.Content));
                if (lines.Any(line => line.Contains(until, StringComparison.Ordinal)))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Returned as far as it got: the caller's assertion says what was missing.
        }

        return string.Join(Environment.NewLine, lines);
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(s_stopTimeout);
            await _app.DisposeAsync();
            _app = null;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process that is only now dying may still write into it; /tmp is cleaned eventually.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
