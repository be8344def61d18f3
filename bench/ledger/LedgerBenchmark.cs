using System.Globalization;
using System.Net.Http.Headers;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AiPlatform.LedgerBench;

/// <summary>
/// Starts Redis and Postgres (throwaway servers like the tests', unless <c>--postgres</c> names one), runs UsageApi
/// in this process on Kestrel (real HTTP on loopback), then runs the ingestion and analytics benchmarks against it and
/// prints their tables as Markdown.
/// </summary>
public static class LedgerBenchmark
{
    public const string MasterKey = "sk-aig-bench-master-key";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        PrintMachine(options);

        PostgresServer? postgres = null;
        await using var redis = new RedisServer();
        try
        {
            string adminConnectionString;
            if (options.Postgres is { } given)
            {
                adminConnectionString = given;
            }
            else
            {
                postgres = new PostgresServer();
                await postgres.StartAsync();
                adminConnectionString = postgres.AdminConnectionString;
            }

            await redis.StartAsync();
            var usageDb = await CreateDatabaseAsync(adminConnectionString);
            await using var dataSource = NpgsqlDataSource.Create(usageDb);
            Console.WriteLine($"postgres: {await ScalarAsync<string>(dataSource, "SELECT version()")}; " +
                $"fsync={await ScalarAsync<string>(dataSource, "SHOW fsync")}, " +
                $"synchronous_commit={await ScalarAsync<string>(dataSource, "SHOW synchronous_commit")}, " +
                $"shared_buffers={await ScalarAsync<string>(dataSource, "SHOW shared_buffers")}");
            Console.WriteLine();

            var port = FreePort.Next();
            await using var usageApi = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
                .UseSolutionRelativeContentRoot("src/UsageApi", AppContext.BaseDirectory, "AiPlatform.sln")
                .UseSetting("ConnectionStrings:usagedb", usageDb)
                .UseSetting("ConnectionStrings:cache", redis.ConnectionString)
                .UseSetting("AIPLATFORM_MASTER_KEY", MasterKey)
                .UseSetting("Logging:LogLevel:Default", "Warning")
                .UseSetting("urls", $"http://127.0.0.1:{port}"));
            usageApi.UseKestrel();
            usageApi.StartServer();

            var address = usageApi.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Console.WriteLine($"UsageApi listening on {address}");
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = new Uri(address),
                Timeout = TimeSpan.FromMinutes(5),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);

            if (!options.SkipIngestion)
            {
                await IngestionBenchmark.RunAsync(http, dataSource, options);
            }

            if (!options.SkipAnalytics)
            {
                await AnalyticsBenchmark.RunAsync(http, dataSource, options);
            }

            Console.WriteLine($"load average at the end (1, 5, 15 min): {LoadAverage()}");

            return 0;
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
        }
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The value at <paramref name="percentile"/> by nearest rank (as the summary endpoint computes them).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percentile) =>
        sorted[Math.Max(0, (int)Math.Ceiling(percentile * sorted.Count) - 1)];

    private static async Task<string> CreateDatabaseAsync(string adminConnectionString)
    {
        var name = $"ledger_bench_{DateTime.UtcNow:yyyyMMdd_HHmmss}";
        await using (var admin = NpgsqlDataSource.Create(adminConnectionString))
        {
            await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 50 }.ConnectionString;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static void PrintMachine(BenchOptions options)
    {
        var memory = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) ?? "MemTotal: ?";
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
            : null;
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        var memoryGiB = long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        Console.WriteLine($"# Ledger benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        Console.WriteLine($"machine: {Environment.ProcessorCount} CPU(s) ({cpu}), {memoryGiB:0.0} GiB memory, {os ?? Environment.OSVersion.ToString()}, .NET {Environment.Version}");
        Console.WriteLine($"load average at the start (1, 5, 15 min): {LoadAverage()} (other processes share these CPUs)");
        Console.WriteLine($"options: batch {options.BatchSize}, {options.Duration.TotalSeconds:0} s per ingestion run, concurrency {string.Join(",", options.Concurrency)}, " +
            $"{options.Records:N0} records over {options.Days} days, {options.Runs} runs per query");
    }
}
