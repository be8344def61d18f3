using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace AiPlatform.UsageApi.Tests.AdminAccess;

/// <summary>
/// One UsageApi with its own Postgres and Redis for a whole test class of admin access, with a <see cref="ManualClock"/>
/// (wall clock only) so that a token's expiry can be passed on purpose. Tests of a class run one after another, so
/// moving the clock is safe; tests make their own tokens, keys and models.
/// </summary>
public sealed class AdminAccessFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly PostgresServer _postgres = new();
    private readonly RedisServer _redis = new();
    private readonly ConcurrentDictionary<string, Task<(string Id, string Token)>> _tokensByScope = new(StringComparer.Ordinal);
    private WebApplicationFactory<Program>? _usageApi;

    public ManualClock Clock { get; } = new(Start);

    public WebApplicationFactory<Program> UsageApi => _usageApi ?? throw new InvalidOperationException("Not started.");

    /// <summary>A client sending the master key.</summary>
    public HttpClient Master { get; private set; } = null!;

    public string UsageDb { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_postgres.StartAsync(), _redis.StartAsync());
        UsageDb = await _postgres.CreateDatabaseAsync();
        _usageApi = UsageApiHost.Create(UsageDb, _redis, Clock);
        Master = _usageApi.CreateAdminClient();
    }

    public async Task DisposeAsync()
    {
        Master?.Dispose();
        if (_usageApi is not null)
        {
            await _usageApi.DisposeAsync();
        }

        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>A client sending <paramref name="credential"/> as its Bearer token.</summary>
    public HttpClient ClientWith(string credential)
    {
        var client = UsageApi.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return client;
    }

    /// <summary>Makes an admin token with the master key; expires a day from the clock's now unless told.</summary>
    public async Task<(string Id, string Token)> CreateTokenAsync(string name, string[] scopes, DateTimeOffset? expiresAt = null)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            name,
            scopes,
            expires_at = (expiresAt ?? Clock.GetUtcNow().AddDays(1)).ToString("O"),
        });
        using var response = await Master.PostJsonAsync("/v1/admin/tokens", body);
        var created = await response.ReadJsonAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Creating an admin token answered {(int)response.StatusCode}: {created}");
        }

        return (created.GetProperty("id").GetString()!, created.GetProperty("token").GetString()!);
    }

    /// <summary>A token with <paramref name="scope"/> alone, made once per fixture.</summary>
    public async Task<string> TokenWithOnlyAsync(string scope) =>
        (await _tokensByScope.GetOrAdd(scope, s => CreateTokenAsync("only " + s, [s], Start.AddYears(1)))).Token;

    /// <summary>A connection to the service's database, for what the API does not show (hashes, the audit trigger).</summary>
    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(UsageDb);
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>
/// The admin access tests share one UsageApi: a Postgres and a Redis each rather than one per class, which on a small
/// machine cost more than all their tests. The classes then run one after another; each reads only its own targets.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AdminAccessCollection : ICollectionFixture<AdminAccessFixture>
{
    public const string Name = "Admin access";
}
