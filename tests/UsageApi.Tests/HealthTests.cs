using System.Net;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace AiPlatform.UsageApi.Tests;

public sealed class HealthTests(PostgresServer postgres, RedisServer redis) : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    private WebApplicationFactory<Program> CreateUsageApi(string connectionString) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:usagedb", connectionString)
            .UseSetting("ConnectionStrings:cache", redis.ConnectionString)
            .UseSetting("AIPLATFORM_MASTER_KEY", UsageApiHost.MasterKey));

    [Fact]
    public async Task Start_TwoReplicasAtOnce_BothHealthyAndSchemaMigratedOnce()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var first = CreateUsageApi(connectionString);
        await using var second = CreateUsageApi(connectionString);

        var clients = await Task.WhenAll(Task.Run(first.CreateClient), Task.Run(second.CreateClient));

        foreach (var client in clients)
        {
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            """SELECT count(*) = count(DISTINCT "MigrationId") AND count(*) > 0 FROM "__EFMigrationsHistory" """);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Health_PostgresStopped_Returns503UntilPostgresIsBack()
    {
        await using var usageApi = CreateUsageApi(await postgres.CreateDatabaseAsync());
        using var client = usageApi.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);

        await postgres.StopAsync();
        try
        {
            using var down = await client.GetAsync(new Uri("/health", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());
        }
        finally
        {
            await postgres.StartAsync();
        }

        await Eventually.TrueAsync(async () =>
            (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            TestTimeouts.Default);
    }
}
