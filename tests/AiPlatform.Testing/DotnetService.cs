using System.Globalization;

namespace AiPlatform.Testing;

/// <summary>
/// A service of the solution run from its build output as a process of its own (<c>dotnet AiPlatform.X.dll</c>), as a
/// deployment runs it, on a free port of 127.0.0.1: for tests that must kill it the way an OOM killer or a node failure
/// does (SIGKILL, with no shutdown code running), which an in-process host cannot show. Configuration goes on the command
/// line (<c>--Key=Value</c>, which ASP.NET Core reads above appsettings.json and the environment). The process dies with
/// the test host (SIGKILL as its parent-death signal) and is killed on dispose if it still runs.
/// </summary>
public sealed class DotnetService : IAsyncDisposable
{
    private const int PortAttempts = 3;
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(10);
    private static readonly HttpClient s_probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly ChildProcess _process;

    private DotnetService(ChildProcess process, int port)
    {
        _process = process;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>Its root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>
    /// Starts the service built as <paramref name="assemblyPath"/> with <paramref name="settings"/> and returns once its
    /// <c>/alive</c> answers (every service maps it: the server listens and its endpoints are mapped).
    /// </summary>
    public static async Task<DotnetService> StartAsync(string assemblyPath, IEnumerable<KeyValuePair<string, string>> settings)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException($"{assemblyPath} does not exist; build the solution first.", assemblyPath);
        }

        var dotnet = Executable.FindOnPath("dotnet")
            ?? throw new InvalidOperationException("dotnet was not found on PATH.");
        var name = Path.GetFileNameWithoutExtension(assemblyPath);
        var configuration = settings.Select(setting => $"--{setting.Key}={setting.Value}").ToList();
        DotnetService? started = null;
        await ServerProcess.StartOnPortAsync(name, port: 0, PortAttempts, async port =>
        {
            string[] arguments = [assemblyPath, $"--urls=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", .. configuration];
            var command = LaunchCommand.Create(dotnet, arguments, runAsUser: null, parentDeathSignal: "SIGKILL");
            var readiness = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/alive");
            // The service's folder as the working directory: ASP.NET Core's content root, where its appsettings.json is.
            var process = await ServerProcess.StartAsync(command, Path.GetDirectoryName(assemblyPath), name, port,
                cancellation => ProbeAsync(readiness, cancellation), s_readyTimeout);
            started = process is null ? null : new DotnetService(process, port);
            return started is not null;
        });
        return started!;
    }

    /// <summary>SIGKILL, as the kernel's OOM killer or a lost node ends a process; returns once it has exited.</summary>
    public async Task KillAsync()
    {
        _process.SendSignal(ChildProcess.SigKill);
        await _process.WaitForExitAsync(s_exitTimeout);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static async Task ProbeAsync(Uri readiness, CancellationToken cancellationToken)
    {
        using var response = await s_probe.GetAsync(readiness, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
