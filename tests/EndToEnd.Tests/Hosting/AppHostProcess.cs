using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>
/// The AppHost run as a process, as a developer runs it, on free ports with a data folder of its own under /tmp
/// (which the postgres user can enter), its output captured. Disposing stops it like Ctrl+C and, should that fail,
/// kills whatever it left behind and removes the data folder.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    public const string InstanceVariable = "AIPLATFORM_APPHOST_INSTANCE";

    public const string DevelopmentKeyFileName = "dev-key";

    /// <summary>How the AppHost's output introduces the development key, and how it says it could not create one.</summary>
    public const string DevelopmentKeyTitle = "Development key (";
    private const string DevelopmentKeyFailure = "The development key could not be created";

    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Written into this assembly by the build (EndToEnd.Tests.csproj).</summary>
    private static readonly string s_appHostPath = typeof(AppHostProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AppHostPath").Value!;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private HashSet<int> _childSessions = [];

    private AppHostProcess(Process process, AppHostPorts ports, string dataDirectory)
    {
        _process = process;
        Ports = ports;
        DataDirectory = dataDirectory;
    }

    public AppHostPorts Ports { get; }

    public string DataDirectory { get; }

    public int Pid => _process.Id;

    public Uri GatewayUrl => Loopback(Ports.Gateway);

    public Uri UsageApiUrl => Loopback(Ports.UsageApi);

    public Uri InferenceUrl => Loopback(Ports.Inference);

    public Uri DashboardUrl => Loopback(Ports.Dashboard);

    public IReadOnlyList<Uri> ServiceUrls => [GatewayUrl, UsageApiUrl, InferenceUrl, DashboardUrl];

    /// <summary>The run's <see cref="InstanceVariable"/>, known once <see cref="WaitUntilHealthyAsync"/> succeeded.</summary>
    public string? InstanceId { get; private set; }

    /// <summary>The sessions of the AppHost's children (each is a session leader), known once healthy.</summary>
    public IReadOnlySet<int> ChildSessions => _childSessions;

    /// <summary>Everything the AppHost and its resources printed so far, stdout and stderr in arrival order.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static AppHostProcess Start()
    {
        var ports = AppHostPorts.Allocate();
        var dataDirectory = Path.Combine("/tmp", $"aiplatform-e2e-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);

        var startInfo = new ProcessStartInfo(FindDotnet())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["exec", s_appHostPath, .. ports.Arguments, "--data-dir", dataDirectory, "--health-timeout", "150"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The run must be self-contained: no external servers, keys or port settings from the developer's shell.
        foreach (var name in startInfo.Environment.Keys.Where(IsAppHostSetting).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        var appHost = new AppHostProcess(new Process { StartInfo = startInfo }, ports, dataDirectory);
        appHost._process.OutputDataReceived += appHost.Capture;
        appHost._process.ErrorDataReceived += appHost.Capture;
        appHost._process.Start();
        appHost._process.BeginOutputReadLine();
        appHost._process.BeginErrorReadLine();
        return appHost;
    }

    /// <summary>Waits until all four services answer /health with 200; fails early, with the output, if the AppHost exits.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = NewHttpClient();
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The AppHost exited with code {_process.ExitCode} before all services were healthy. Its output:{Environment.NewLine}{Output}");
            }

            var healthy = await Task.WhenAll(ServiceUrls.Select(url => AnswersOkAsync(http, new Uri(url, "/health"))));
            if (healthy.All(h => h))
            {
                break;
            }

            if (started.Elapsed > timeout)
            {
                throw new TimeoutException($"The services were not all healthy within {timeout}. The AppHost's output:{Environment.NewLine}{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        var children = ProcessTable.All().Where(e => e.ParentPid == Pid).Select(e => e.Pid).ToList();
        _childSessions = [.. children];

        // Redis and Postgres overwrite their environment area with their process titles; the .NET services keep theirs.
        InstanceId = children.Select(pid => ProcessTable.EnvironmentVariable(pid, InstanceVariable)).FirstOrDefault(v => v is not null);
    }

    /// <summary>The master key the AppHost generated into its data folder.</summary>
    public async Task<string> ReadMasterKeyAsync() =>
        (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "master-key"))).Trim();

    /// <summary>
    /// The development key, once the AppHost created it (after the services became healthy) and printed it: read from
    /// its data folder. Fails early, with the output, when the AppHost reports that it could not create one or exits.
    /// </summary>
    public async Task<string> ReadDevelopmentKeyAsync(TimeSpan timeout)
    {
        var path = Path.Combine(DataDirectory, DevelopmentKeyFileName);
        var started = Stopwatch.StartNew();
        while (true)
        {
            var output = Output;
            if (output.Contains(DevelopmentKeyFailure, StringComparison.Ordinal) || _process.HasExited)
            {
                throw new InvalidOperationException($"The AppHost did not create a development key. Its output:{Environment.NewLine}{output}");
            }

            // The key is written (atomically) before it is printed, so once printed the file is complete.
            if (output.Contains(DevelopmentKeyTitle, StringComparison.Ordinal))
            {
                return (await File.ReadAllTextAsync(path)).Trim();
            }

            if (started.Elapsed > timeout)
            {
                throw new TimeoutException($"The AppHost printed no development key within {timeout}. Its output:{Environment.NewLine}{output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C would, and returns the exit code.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        Signals.kill(Pid, Signals.SigInt);
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await InterruptAsync(s_stopTimeout);
            }
            catch (TimeoutException)
            {
                Signals.kill(Pid, Signals.SigKill);
            }
        }

        KillLeftovers();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process that is only now dying may still write into it; /tmp is cleaned eventually.
        }

        _process.Dispose();
    }

    internal static HttpClient NewHttpClient() =>
        new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    private static async Task<bool> AnswersOkAsync(HttpClient http, Uri url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>A failed test must not leave servers running into the next one.</summary>
    private void KillLeftovers()
    {
        var byInstance = InstanceId is null ? [] : ProcessTable.WithEnvironmentVariable(InstanceVariable, InstanceId);
        var bySession = ProcessTable.All().Where(e => _childSessions.Contains(e.Session)).Select(e => e.Pid);
        foreach (var pid in byInstance.Concat(bySession).Distinct())
        {
            Signals.kill(pid, Signals.SigKill);
        }
    }

    private static bool IsAppHostSetting(string name) =>
        name.StartsWith("AIPLATFORM_", StringComparison.Ordinal) || name.StartsWith("ConnectionStrings__", StringComparison.Ordinal);

    /// <summary>The dotnet host of the runtime running the tests (&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/), else PATH.</summary>
    private static string FindDotnet()
    {
        var beside = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return File.Exists(beside) ? beside : "dotnet";
    }

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port}");

    private void Capture(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is { } line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
