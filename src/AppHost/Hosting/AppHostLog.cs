using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiPlatform.AppHost.Hosting;

/// <summary>What the AppHost's own steps log, to the console and to the resources' logs in the Aspire dashboard.</summary>
internal static partial class AppHostLog
{
    /// <summary>The category of the AppHost's own console messages.</summary>
    public const string Category = "AiPlatform.AppHost";

    /// <summary>
    /// Runs a step of the AppHost's own around a resource; a failure is also written to the console, not only to the
    /// resource's log in the dashboard, so that someone who ran the AppHost in a terminal sees why a resource never started.
    /// </summary>
    public static async Task OnConsoleTooAsync(IServiceProvider services, IResource resource, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ResourceStepFailed(services.GetRequiredService<ILoggerFactory>().CreateLogger(Category), resource.Name, e.Message);
            throw;
        }
    }

    [LoggerMessage(6, LogLevel.Error, "{Resource} cannot start: {Reason}")]
    public static partial void ResourceStepFailed(ILogger logger, string resource, string reason);

    [LoggerMessage(8, LogLevel.Error, "{Resource} stopped ({State}, exit code {ExitCode}) while the platform runs. Its last lines:\n{Output}")]
    public static partial void ResourceStopped(ILogger logger, string resource, string state, string exitCode, string output);

    [LoggerMessage(9, LogLevel.Warning, "Not ready {Seconds} s after the start (their logs are in the Aspire dashboard):\n{Resources}")]
    public static partial void ResourcesNotReady(ILogger logger, double seconds, string resources);

    [LoggerMessage(10, LogLevel.Warning, "The console no longer reports resources that stop or are slow to start: {Reason}")]
    public static partial void ProblemReportStopped(ILogger logger, string reason);

    [LoggerMessage(7, LogLevel.Information, "Dashboard: {Url} (sign in with the master key in {MasterKeyPath})")]
    public static partial void DashboardReady(ILogger logger, string url, string masterKeyPath);

    [LoggerMessage(1, LogLevel.Information, "Creating a PostgreSQL {Version} cluster in {Directory} (first start only).")]
    public static partial void CreatingCluster(ILogger logger, int version, string directory);

    [LoggerMessage(2, LogLevel.Information, "Created database {Database}.")]
    public static partial void CreatedDatabase(ILogger logger, string database);

    [LoggerMessage(3, LogLevel.Information, "{Line}")]
    public static partial void ToolOutput(ILogger logger, string line);

    /// <summary>The development key is printed on purpose: it exists to be pasted into a first request.</summary>
    [LoggerMessage(4, LogLevel.Information, "Gateway: {Gateway}\n{Title}\n{Examples}")]
    public static partial void DevelopmentKeyReady(ILogger logger, Uri gateway, string title, string examples);

    [LoggerMessage(5, LogLevel.Error,
        "The development key could not be created: {Reason}. The platform runs without it and the next start tries again. " +
        "To create a key yourself: curl -X POST {KeysUrl} -H \"Authorization: Bearer <master key>\" -H \"Content-Type: application/json\" -d '{{\"name\":\"mine\"}}'")]
    public static partial void DevelopmentKeyFailed(ILogger logger, string reason, Uri keysUrl);
}
