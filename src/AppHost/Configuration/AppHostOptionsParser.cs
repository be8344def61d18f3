using System.Globalization;
using System.Text;
using AiPlatform.ServiceDefaults.Configuration;

namespace AiPlatform.AppHost.Configuration;

/// <summary>The outcome of reading the options: options to run with, a message to show, or a request for help.</summary>
public sealed record OptionsParseResult(AppHostOptions? Options, string? Error, bool HelpRequested);

/// <summary>
/// Reads the options from the environment (<c>AIPLATFORM_GATEWAY_PORT=9080</c>) and then the command line
/// (<c>--gateway-port 9080</c> or <c>--gateway-port=9080</c>), the command line winning. A bad value is reported with
/// the option's name and what it accepts, before anything starts.
/// </summary>
public static class AppHostOptionsParser
{
    private const int MaxReplicas = 32;
    private const int MaxHealthTimeoutSeconds = 3600;

    private static readonly IReadOnlyList<Setting> s_settings =
    [
        .. PortOptions.All.Select(option => new Setting(
            $"{option.Key}-port", "<port>", option.DefaultPort.ToString(CultureInfo.InvariantCulture), option.Description,
            (value, values) => ApplyPort(option, value, values))),
        new("inference-replicas", "<count>", "1", "number of InferenceWorker processes", ApplyReplicas),
        new("data-dir", "<path>", "<repository>/.aiplatform", "data of the local Redis and Postgres, and the generated keys", ApplyDataDirectory),
        new("health-timeout", "<seconds>", "120", "seconds a resource may take to become ready", ApplyHealthTimeout),
    ];

    public static string HelpText { get; } = BuildHelpText();

    public static OptionsParseResult Parse(
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string defaultDataDirectory)
    {
        var values = new Values(Path.GetFullPath(defaultDataDirectory));

        foreach (var setting in s_settings)
        {
            if (environment.TryGetValue(setting.EnvironmentVariable, out var value) && value.Length > 0
                && setting.Apply(value, values) is { } problem)
            {
                return Failure($"Invalid value '{value}' in {setting.EnvironmentVariable}: {problem}");
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                return new OptionsParseResult(null, null, HelpRequested: true);
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                return Failure($"Unexpected argument '{arg}'. Run with --help to see the options.");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = equals < 0 ? arg : arg[..equals];
            var setting = s_settings.FirstOrDefault(s => s.Flag == flag);
            if (setting is null)
            {
                return Failure($"Unknown option '{flag}'. Run with --help to see the options.");
            }

            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                return Failure($"Option {flag} needs a value. Run with --help to see the options.");
            }

            if (setting.Apply(value, values) is { } problem)
            {
                return Failure($"Invalid value '{value}' for {flag}: {problem}");
            }
        }

        var options = new AppHostOptions
        {
            Ports = values.Ports,
            InferenceReplicas = values.InferenceReplicas,
            DataDirectory = values.DataDirectory,
            HealthTimeout = values.HealthTimeout,
            Environment = environment,
        };
        return new OptionsParseResult(options, null, HelpRequested: false);
    }

    private static OptionsParseResult Failure(string message) => new(null, message, HelpRequested: false);

    private static string? ApplyPort(PortOption option, string value, Values values)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return "expected a port number from 1 to 65535.";
        }

        values.Ports[option.Key] = port;
        return null;
    }

    private static string? ApplyReplicas(string value, Values values)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) || replicas is < 1 or > MaxReplicas)
        {
            return $"expected a whole number from 1 to {MaxReplicas}.";
        }

        values.InferenceReplicas = replicas;
        return null;
    }

    private static string? ApplyDataDirectory(string value, Values values)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "expected a folder path.";
        }

        values.DataDirectory = Path.GetFullPath(value);
        return null;
    }

    private static string? ApplyHealthTimeout(string value, Values values)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > MaxHealthTimeoutSeconds)
        {
            return $"expected a number of seconds from 1 to {MaxHealthTimeoutSeconds}.";
        }

        values.HealthTimeout = TimeSpan.FromSeconds(seconds);
        return null;
    }

    private static string BuildHelpText()
    {
        var text = new StringBuilder()
            .AppendLine("Runs AiPlatform locally: Redis, PostgreSQL and the Gateway, UsageApi, InferenceWorker and Dashboard services.")
            .AppendLine()
            .AppendLine("Usage: dotnet run --project src/AppHost -- [options]")
            .AppendLine()
            .AppendLine("Options (each can also be set by the environment variable shown):");

        var flagWidth = s_settings.Max(s => s.Flag.Length + 1 + s.ValueName.Length);
        foreach (var setting in s_settings)
        {
            text.Append("  ").Append($"{setting.Flag} {setting.ValueName}".PadRight(flagWidth))
                .Append("  ").Append(setting.Description)
                .Append(" (default ").Append(setting.DefaultText).Append("; ").Append(setting.EnvironmentVariable).AppendLine(")");
        }

        return text
            .AppendLine()
            .AppendLine("To use an existing Redis or PostgreSQL instead of starting one, set")
            .AppendLine($"  {KnownConfigNames.ConnectionStringsSection}__{KnownResourceNames.Cache}=host:port")
            .AppendLine($"  {KnownConfigNames.ConnectionStringsSection}__{KnownResourceNames.UsageDb}=\"Host=...;Port=...;Username=...;Password=...;Database=...\"")
            .AppendLine($"The admin key is {KnownConfigNames.MasterKey}; when it is not set, one is generated and kept in the data folder.")
            .AppendLine("A development key for the Gateway is created at the first start and kept in the data folder (dev-key);")
            .AppendLine("every start prints it with curl and OpenAI SDK examples. Delete the file to get a new one at the next start.")
            .ToString();
    }

    private sealed record Setting(string Name, string ValueName, string DefaultText, string Description, Func<string, Values, string?> Apply)
    {
        public string Flag => $"--{Name}";

        public string EnvironmentVariable => $"AIPLATFORM_{Name.ToUpperInvariant().Replace('-', '_')}";
    }

    private sealed class Values(string dataDirectory)
    {
        public Dictionary<string, int> Ports { get; } = PortOptions.All.ToDictionary(o => o.Key, o => o.DefaultPort);

        public int InferenceReplicas { get; set; } = 1;

        public string DataDirectory { get; set; } = dataDirectory;

        public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(120);
    }
}
