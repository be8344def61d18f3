using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using AiPlatform.Testing;

namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>
/// The AppHost run as a process, as a developer runs it (with the Aspire dashboard), on free ports with a data folder of
/// its own under /tmp, its output captured. Every process of the run is found afterwards by a marker variable in its
/// environment (DCP, the dashboard and the services inherit the AppHost's) or by the data folder on its command line
/// (Redis and Postgres, which overwrite their environment area with their process titles). Disposing stops it like
/// Ctrl+C and, should that fail, kills whatever it left behind and removes the data folder.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    private const string InstanceVariable = "AIPLATFORM_E2E_INSTANCE";

    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Written into this assembly by the build (EndToEnd.Tests.csproj).</summary>
    private static readonly string s_appHostPath = typeof(AppHostProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AppHostPath").Value!;

    private readonly Process _process;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly StringBuilder _output = new();

    private AppHostProcess(AppHostPorts ports, string dataDirectory, int dashboardPort, IReadOnlyDictionary<string, string> environment)
    {
        Ports = ports;
        DataDirectory = dataDirectory;
        DashboardPort = dashboardPort;
        _process = new Process { StartInfo = StartInfo(environment) };
        _process.OutputDataReceived += Capture;
        _process.ErrorDataReceived += Capture;
    }

    public AppHostPorts Ports { get; }

    public string DataDirectory { get; }

    /// <summary>The Aspire dashboard's own port.</summary>
    public int DashboardPort { get; }

    /// <summary>The key of the Aspire dashboard's telemetry API (<c>x-api-key</c>), given to the AppHost as <c>AppHost:DashboardApiKey</c>.</summary>
    public string DashboardApiKey { get; } = Guid.NewGuid().ToString("N");

    public IReadOnlyList<int> AllPorts => [.. Ports.All, DashboardPort];

    /// <summary>Everything the AppHost printed so far, stdout and stderr in arrival order.</summary>
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

    /// <param name="environment">Variables for the AppHost and, as it passes its own on, for every service it starts.</param>
    public static AppHostProcess Start(IReadOnlyDictionary<string, string>? environment = null)
    {
        var dataDirectory = Path.Combine("/tmp", $"aiplatform-e2e-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        var appHost = new AppHostProcess(AppHostPorts.Allocate(), dataDirectory, FreePort.Next(), environment ?? new Dictionary<string, string>());
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
        Uri[] services = [Ports.UrlOf(Ports.Gateway), Ports.UrlOf(Ports.UsageApi), Ports.UrlOf(Ports.Inference), Ports.UrlOf(Ports.Dashboard)];
        bool[] healthy;
        while (!(healthy = await Task.WhenAll(services.Select(url => AnswersOkAsync(http, new Uri(url, "/health"))))).All(ok => ok))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The AppHost exited with code {_process.ExitCode} before all services were healthy. Its output:{Environment.NewLine}{Output}");
            }

            if (started.Elapsed > timeout)
            {
                var unhealthy = string.Join(", ", services.Where((_, i) => !healthy[i]));
                throw new TimeoutException(
                    $"The services were not all healthy within {timeout} ({unhealthy} not). The AppHost's output:{Environment.NewLine}{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>Waits until the output holds <paramref name="text"/>; fails early, with the output, if the AppHost exits.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || started.Elapsed > timeout)
            {
                throw new TimeoutException($"The AppHost did not print \"{text}\" within {timeout}. Its output:{Environment.NewLine}{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Every live process of this run, the AppHost itself excluded.</summary>
    public IReadOnlyList<int> RunProcesses() =>
        [.. ProcessTable.WithEnvironmentVariable(InstanceVariable, _instance).Concat(ProcessTable.WithCommandLineContaining(DataDirectory))
            .Where(pid => pid != _process.Id).Distinct()];

    /// <summary>
    /// The run's processes still alive after <paramref name="grace"/>: the orchestrator's own API server may take a moment
    /// to exit after the AppHost, which returns once every resource has stopped.
    /// </summary>
    public async Task<IReadOnlyList<string>> LeftoversAfterAsync(TimeSpan grace)
    {
        var started = Stopwatch.StartNew();
        while (RunProcesses() is { Count: > 0 } left)
        {
            if (started.Elapsed > grace)
            {
                return [.. left.Select(pid => $"{pid}: {ProcessTable.CommandLine(pid)}")];
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        return [];
    }

    /// <summary>Sends <paramref name="signal"/> (SIGINT as Ctrl+C would, or SIGTERM as a supervisor would) and returns the exit code.</summary>
    public async Task<int> StopAsync(int signal, TimeSpan timeout)
    {
        Signals.kill(_process.Id, signal);
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(Signals.SigInt, s_stopTimeout);
            }
            catch (TimeoutException)
            {
                Signals.kill(_process.Id, Signals.SigKill);
            }
        }

        // A failed test must not leave servers running into the next one.
        foreach (var pid in RunProcesses())
        {
            Signals.kill(pid, Signals.SigKill);
        }

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

    /// <summary>
    /// <c>dotnet exec</c> of the built AppHost, with what its launch profile gives <c>dotnet run</c> (the dashboard's
    /// address, plain http) on ports of the test's own. The run is self-contained: no external servers, keys or port
    /// settings from the developer's shell.
    /// </summary>
    private ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(FindDotnet()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["exec", s_appHostPath, .. Ports.Arguments, "--data-dir", DataDirectory])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(IsAppHostSetting).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{DashboardPort}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["AppHost__DashboardApiKey"] = DashboardApiKey;
        start.Environment[InstanceVariable] = _instance;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

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

    private static bool IsAppHostSetting(string name) =>
        name.StartsWith("AIPLATFORM_", StringComparison.Ordinal) || name.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
        || name.StartsWith("ASPIRE_", StringComparison.Ordinal) || name.StartsWith("OTEL_", StringComparison.Ordinal);

    /// <summary>The dotnet host of the runtime running the tests (&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/), else PATH.</summary>
    private static string FindDotnet()
    {
        var beside = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return File.Exists(beside) ? beside : "dotnet";
    }

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
