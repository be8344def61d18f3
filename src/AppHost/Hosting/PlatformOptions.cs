using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AiPlatform.AppHost.Hosting;

/// <summary>
/// A port the AppHost gives a resource, and the two ways to change it: a command-line option (<c>--gateway-port</c>)
/// and the same setting as a variable (<c>AIPLATFORM_GATEWAY_PORT</c>).
/// </summary>
internal sealed record PortSetting(string Resource, string Flag, string EnvironmentVariable, int Port);

/// <summary>
/// What a run of the AppHost may change: ports, InferenceWorker replicas, the data folder, containers instead of
/// Debian's servers. Each is a command-line option (<c>--gateway-port 9080</c>) or a variable
/// (<c>AIPLATFORM_GATEWAY_PORT=9080</c>), the command line winning; a bad value is reported with the setting's name before anything starts.
/// </summary>
internal sealed class PlatformOptions
{
    /// <summary>The simulator's model, served by the InferenceWorker replicas.</summary>
    public const string SimulatorModel = "sim";

    private const int MaxReplicas = 32;

    private readonly List<string> _problems = [];

    private PlatformOptions(IConfiguration configuration, string appHostDirectory)
    {
        Gateway = ReadPort(configuration, "gateway", 8080);
        UsageApi = ReadPort(configuration, "usageapi", 8081);
        Inference = ReadPort(configuration, "inference", 8082);
        Dashboard = ReadPort(configuration, "dashboard", 8088);
        Redis = ReadPort(configuration, "redis", 6380);
        Postgres = ReadPort(configuration, "postgres", 5433);
        InferenceReplicas = ReadInt(configuration, "inference-replicas", 1, 1, MaxReplicas);
        DataDirectory = Path.GetFullPath(Read(configuration, "data-dir") ?? Path.Combine(appHostDirectory, "..", "..", ".aiplatform"));
        UseContainers = ReadBool(configuration, "use-containers");
        SlowStartWarning = TimeSpan.FromSeconds(ReadInt(configuration, "slow-start-warning", 60, 1, 3600));
        Onnx = ReadPort(configuration, "onnx", 8090);
        if (Read(configuration, "onnx-model") is { } onnxModel)
        {
            OnnxModel = Path.GetFullPath(onnxModel);
            OnnxModelName = Read(configuration, "onnx-model-name") ?? Path.GetFileName(OnnxModel.TrimEnd(Path.DirectorySeparatorChar));
            if (!Directory.Exists(OnnxModel))
            {
                _problems.Add($"--onnx-model (or {VariableOf("onnx-model")}) is '{onnxModel}', which is not a folder; give the folder of a model exported with Optimum.");
            }
        }

        OnnxDevice = Read(configuration, "onnx-device") switch
        {
            null => "cpu",
            var device when device.Equals("cpu", StringComparison.OrdinalIgnoreCase) || device.Equals("cuda", StringComparison.OrdinalIgnoreCase) => device.ToLowerInvariant(),
            var device => Invalid("cpu", $"--onnx-device (or {VariableOf("onnx-device")}) is '{device}'; it takes cpu or cuda."),
        };
    }

    public PortSetting Gateway { get; }

    public PortSetting UsageApi { get; }

    /// <summary>The first InferenceWorker's port; replica i listens on this + i.</summary>
    public PortSetting Inference { get; }

    public PortSetting Dashboard { get; }

    public PortSetting Redis { get; }

    public PortSetting Postgres { get; }

    public int InferenceReplicas { get; }

    /// <summary>Data of the local Redis and Postgres and the generated secrets; <c>.aiplatform/</c> in the repository by default.</summary>
    public string DataDirectory { get; }

    /// <summary>Aspire's stock Redis and Postgres containers in run mode, for machines with a container runtime.</summary>
    public bool UseContainers { get; }

    /// <summary>The port of the onnx worker, started when <see cref="OnnxModel"/> is given.</summary>
    public PortSetting Onnx { get; }

    /// <summary>A model folder (Optimum's layout) that an InferenceWorker with the onnx engine serves beside the simulator.</summary>
    public string? OnnxModel { get; }

    /// <summary>The name clients use for <see cref="OnnxModel"/>: <c>--onnx-model-name</c>, else the folder's name.</summary>
    public string? OnnxModelName { get; }

    /// <summary><c>cpu</c> or <c>cuda</c> for the onnx worker.</summary>
    public string OnnxDevice { get; }

    /// <summary>How long after the start the console names the resources that are still not ready, and why.</summary>
    public TimeSpan SlowStartWarning { get; }

    /// <summary>Every port this run's own processes listen on, for the check before anything starts.</summary>
    public IEnumerable<PortSetting> PortsInUse(bool localRedis, bool localPostgres)
    {
        yield return Gateway;
        yield return UsageApi;
        yield return Dashboard;
        for (var i = 0; i < InferenceReplicas; i++)
        {
            yield return Inference with { Resource = InferenceReplicaName(i), Port = Inference.Port + i };
        }

        if (OnnxModel is not null)
        {
            yield return Onnx with { Resource = OnnxWorkerName };
        }

        if (localRedis)
        {
            yield return Redis;
        }

        if (localPostgres)
        {
            yield return Postgres;
        }
    }

    /// <summary>Settings that could not be read, each naming the setting and what it accepts; reported before anything starts.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public static string InferenceReplicaName(int replica) => $"inference-{replica}";

    /// <summary>The resource of the onnx worker.</summary>
    public const string OnnxWorkerName = "onnx-0";

    public static PlatformOptions From(IConfiguration configuration, string appHostDirectory) => new(configuration, appHostDirectory);

    private PortSetting ReadPort(IConfiguration configuration, string resource, int defaultPort)
    {
        var name = $"{resource}-port";
        return new PortSetting(resource, $"--{name}", VariableOf(name), ReadInt(configuration, name, defaultPort, 1, 65535));
    }

    private int ReadInt(IConfiguration configuration, string name, int defaultValue, int min, int max)
    {
        if (Read(configuration, name) is not { } text)
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : Invalid(defaultValue, $"--{name} (or {VariableOf(name)}) is '{text}'; it takes a whole number from {min} to {max}.");
    }

    private bool ReadBool(IConfiguration configuration, string name) => Read(configuration, name) switch
    {
        null => false,
        var text when bool.TryParse(text, out var value) => value,
        var text => Invalid(false, $"--{name} (or {VariableOf(name)}) is '{text}'; it takes true or false."),
    };

    /// <summary>The command line (<c>--gateway-port 9080</c> arrives as the key <c>gateway-port</c>) before the variable.</summary>
    private static string? Read(IConfiguration configuration, string name) =>
        configuration[name] is { Length: > 0 } fromCommandLine ? fromCommandLine
        : configuration[VariableOf(name)] is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;

    private T Invalid<T>(T defaultValue, string problem)
    {
        _problems.Add(problem);
        return defaultValue;
    }

    private static string VariableOf(string name) => "AIPLATFORM_" + name.Replace('-', '_').ToUpperInvariant();
}
