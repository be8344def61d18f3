using AiPlatform.AppHost.Configuration;
using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration.Output;

namespace AiPlatform.AppHost.Orchestration.DevelopmentKeys;

/// <summary>
/// The orchestrator's development-key step, run once the admin API is ready: reuse the kept key or create one, and
/// later print it with examples. A key that cannot be created is reported but does not stop the platform, which works
/// without it; the next start tries again.
/// </summary>
internal static class DevelopmentKeyStep
{
    /// <summary>A first request on a busy machine runs cold code (JIT, EF Core's model) on UsageApi: give it time.</summary>
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The key, or null when it could not be created (already reported).</summary>
    public static async Task<DevelopmentKey?> EnsureAsync(
        DevelopmentKeySpec spec, AppHostOptions options, string masterKey, ConsoleReporter reporter, CancellationToken cancellationToken)
    {
        // No proxy: an http_proxy meant for the internet must not stand between the AppHost and 127.0.0.1.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = s_requestTimeout };
        var client = new KeysAdminClient(http);
        var adminApi = new Uri(spec.AdminApi.UrlOf(0));
        try
        {
            return await DevelopmentKey.ResolveAsync(
                options.DataDirectory,
                ct => client.CreateKeyAsync(adminApi, masterKey, DevelopmentKeySpec.KeyName, ct),
                cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidDataException or IOException or UnauthorizedAccessException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            reporter.Error(
                $"The development key could not be created: {e.Message}{Environment.NewLine}" +
                $"The platform runs without it and the next start tries again. To create a key yourself:{Environment.NewLine}" +
                $$"""  curl -X POST {{new Uri(adminApi, KeysAdminClient.KeysPath)}} -H "Authorization: Bearer <master key>" -H "Content-Type: application/json" -d '{"name":"mine"}'""");
            return null;
        }
    }

    public static void Print(DevelopmentKey key, DevelopmentKeySpec spec, ConsoleReporter reporter)
    {
        reporter.Info(QuickStart.Title(key));
        reporter.Block(QuickStart.Examples(key.Value, new Uri(spec.Gateway.UrlOf(0)), spec.Model));
    }
}
