using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.UsageApi.Tests;

/// <summary>
/// One UsageApi with its own Postgres and Redis for a whole test class, for tests that do not disturb each other
/// (their own keys, request ids and models), so that the class does not pay a start-up per test.
/// </summary>
public sealed class SharedUsageApi : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private WebApplicationFactory<Program>? _usageApi;

    public RedisServer Redis { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_postgres.StartAsync(), Redis.StartAsync());
        _usageApi = UsageApiHost.Create(await _postgres.CreateDatabaseAsync(), Redis);
        Client = _usageApi.CreateAdminClient();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_usageApi is not null)
        {
            await _usageApi.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
