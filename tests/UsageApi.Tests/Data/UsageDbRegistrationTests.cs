using AiPlatform.Testing;
using AiPlatform.UsageApi.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AiPlatform.UsageApi.Tests.Data;

public sealed class UsageDbRegistrationTests(PostgresServer postgres, RedisServer redis) : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    // A plain host rather than WebApplicationFactory: when the app's own start fails, the factory may touch the host the
    // app has already disposed and report that ObjectDisposedException instead of the failure.
    [Fact]
    public async Task Start_UsageDbConnectionStringMissing_FailsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:usagedb"] = "";
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddUsageDb();
        using var host = builder.Build();

        var error = await Record.ExceptionAsync(() => host.StartAsync());

        Assert.NotNull(error);
        Assert.Contains("ConnectionStrings:usagedb", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddUsageDb_Started_ContextRetriesTransientFailures()
    {
        await using var usageApi = UsageApiHost.Create(await postgres.CreateDatabaseAsync(), redis);
        using var client = usageApi.CreateClient();

        await using var db = await usageApi.Services.GetRequiredService<IDbContextFactory<UsageDbContext>>().CreateDbContextAsync();

        Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure);
    }

    [Fact]
    public async Task AddUsageDb_Started_OnePostgresHealthCheckWithATimeout()
    {
        await using var usageApi = UsageApiHost.Create(await postgres.CreateDatabaseAsync(), redis);
        using var client = usageApi.CreateClient();

        var registrations = usageApi.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        var postgresCheck = Assert.Single(registrations, r => r.Name == UsageDbExtensions.HealthCheckName);
        Assert.True(postgresCheck.Timeout > TimeSpan.Zero && postgresCheck.Timeout < TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(registrations, r => r.Name == nameof(UsageDbContext));
    }
}
