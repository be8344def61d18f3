using System.Net;
using System.Net.Http.Headers;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AiPlatform.UsageApi.Tests.AdminAccess;

/// <summary>
/// The limit on failed admin authentications, counted in Redis across two UsageApi replicas over one database, at 5
/// failures per window. This class has its own Redis so that no other test's failures count; each test clears the count.
/// </summary>
public sealed class FailedAdminAuthLimitTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>, IAsyncLifetime
{
    private const int Limit = 5;
    private const int AddressBlockedEvent = 3010;

    // What the admin filter calls the in-memory test server's client, which has no remote address.
    private const string Address = "255.255.255.255";
    private const string CountKeyPattern = "aig:admin-auth-failures:*";

    private readonly List<WebApplicationFactory<Program>> _hosts = [];
    private ConnectionMultiplexer _redis = null!;
    private string _usageDb = "";

    public async Task InitializeAsync()
    {
        _usageDb = await postgres.CreateDatabaseAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await foreach (var key in _redis.GetServers()[0].KeysAsync(pattern: CountKeyPattern))
        {
            await _redis.GetDatabase().KeyDeleteAsync(key);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task WrongMasterKeys_SixthFailureAcrossTwoReplicas_Answered429AndThatReplicaBlocksEvenTheMasterKey()
    {
        var (logsA, logsB) = (new AllLogs(), new AllLogs());
        using var a = Replica(logsA);
        using var b = Replica(logsB);
        var wrongKeys = Enumerable.Range(1, 8).Select(i => $"wrong-master-key-{i}-{Guid.NewGuid():N}").ToList();

        // Five failures, alternating: each replica alone is under the limit, together they are at it.
        for (var i = 0; i < Limit; i++)
        {
            using var failure = await SendAsync(i % 2 == 0 ? a : b, wrongKeys[i]);
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }

        using var sixth = await SendAsync(b, wrongKeys[Limit]);
        using var rightKeyOnB = await SendAsync(b, UsageApiHost.MasterKey);

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        var retryAfter = int.Parse(Assert.Single(sixth.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        await UsageApiHost.AssertOpenAiErrorAsync(sixth, ApiErrorTypes.RateLimit, ApiErrorCodes.RateLimitExceeded);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightKeyOnB.StatusCode);
        Assert.True(rightKeyOnB.Headers.Contains("Retry-After"));
        await UsageApiHost.AssertOpenAiErrorAsync(rightKeyOnB, ApiErrorTypes.RateLimit, ApiErrorCodes.RateLimitExceeded);
        Assert.Equal(Limit + 1, await CountAsync());

        // The other replica blocks from its own first failure over the limit on: the count is shared, the block is not.
        using var rightKeyOnA = await SendAsync(a, UsageApiHost.MasterKey);
        using var seventh = await SendAsync(a, wrongKeys[Limit + 1]);
        using var rightKeyOnAAfter = await SendAsync(a, UsageApiHost.MasterKey);
        Assert.Equal(HttpStatusCode.OK, rightKeyOnA.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, seventh.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightKeyOnAAfter.StatusCode);

        // One line for the block, on the replica that saw the limit pass, naming the address; no credential anywhere.
        var blocked = Assert.Single(logsA.Messages(AddressBlockedEvent).Concat(logsB.Messages(AddressBlockedEvent)));
        Assert.Single(logsB.Messages(AddressBlockedEvent));
        Assert.Contains(Address, blocked, StringComparison.Ordinal);
        var everything = logsA.Entries.Concat(logsB.Entries).Select(e => e.Message).ToList();
        Assert.NotEmpty(everything);
        foreach (var secret in wrongKeys.Append(UsageApiHost.MasterKey))
        {
            Assert.DoesNotContain(everything, message => message.Contains(secret, StringComparison.Ordinal));
            // Nor a recognisable piece of one.
            Assert.DoesNotContain(everything, message => message.Contains(secret[^16..], StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RightCredentials_BetweenFailures_NotCountedAndAccepted()
    {
        using var a = Replica(new AllLogs());
        for (var i = 0; i < Limit; i++)
        {
            (await SendAsync(a, "wrong-" + i)).Dispose();
            using var right = await SendAsync(a, UsageApiHost.MasterKey);
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        Assert.Equal(Limit, await CountAsync());
        using var over = await SendAsync(a, "wrong-over");
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
    }

    [Fact]
    public async Task FailuresOfEveryKind_Counted()
    {
        using var a = Replica(new AllLogs());
        var failures = new Func<Task<HttpResponseMessage>>[]
        {
            () => a.GetAsync("/v1/keys"),
            () => SendAsync(a, "not-a-master-key-nor-a-token"),
            () => SendAsync(a, AdminTokenFormat.Prefix + new string('x', 43)),
            () => SendAsync(a, AdminTokenFormat.Prefix + "short"),
            () => SendAsync(a, UsageApiHost.MasterKey + "x"),
        };
        foreach (var failure in failures)
        {
            using var response = await failure();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var sixth = await a.GetAsync("/v1/keys");

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
    }

    [Fact]
    public async Task Window_Ended_AddressAcceptedAgain()
    {
        using var a = Replica(new AllLogs(), ("AdminAuth:Window", "00:00:01"));
        for (var i = 0; i <= Limit; i++)
        {
            (await SendAsync(a, "wrong-" + i)).Dispose();
        }

        using var blocked = await SendAsync(a, UsageApiHost.MasterKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("1", Assert.Single(blocked.Headers.GetValues("Retry-After")));

        await Eventually.TrueAsync(async () =>
        {
            using var again = await SendAsync(a, UsageApiHost.MasterKey);
            return again.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(5), "the block should end with its one-second window");
        using var oneFailure = await SendAsync(a, "wrong-in-the-next-window");
        Assert.Equal(HttpStatusCode.Unauthorized, oneFailure.StatusCode);
    }

    [Fact]
    public async Task TokensUnavailable_Answered503AndNotCountedAsFailures()
    {
        using var a = Replica(new AllLogs(), configure: services => services.AddSingleton<IAdminTokenResolver, UnavailableTokens>());

        for (var i = 0; i < Limit * 2; i++)
        {
            using var response = await SendAsync(a, AdminTokenFormat.Prefix + new string((char)('a' + i), 43));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.Contains("Retry-After"));
            await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.Server, "auth_unavailable");
        }

        Assert.Null(await CountAsync());
        using var master = await SendAsync(a, UsageApiHost.MasterKey);
        using var wrong = await SendAsync(a, "wrong");
        Assert.Equal(HttpStatusCode.OK, master.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    /// <summary>
    /// Browsers behind the Dashboard, which forwards each one's address with the forwarder key: one browser over the
    /// limit is blocked, the next one through the same Dashboard is not, and the audit log names the browser.
    /// </summary>
    [Fact]
    public async Task ForwardedByTheDashboard_EachBrowserCountsAlone_AndTheAuditLogNamesIt()
    {
        const string ForwarderKey = "sk-aig-fwd-0123456789abcdefghijklmnopqrstuvwxyzABCD";
        using var dashboard = Replica(new AllLogs(), ("AIPLATFORM_FORWARDER_KEY", ForwarderKey));

        for (var i = 0; i <= Limit; i++)
        {
            using var failed = await SendAsync(dashboard, "wrong-" + Guid.NewGuid().ToString("N"), ("198.51.100.1", ForwarderKey));
            Assert.Equal(i < Limit ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, failed.StatusCode);
        }

        using var otherBrowser = await SendAsync(dashboard, UsageApiHost.MasterKey, ("198.51.100.2", ForwarderKey));
        using var blockedBrowser = await SendAsync(dashboard, UsageApiHost.MasterKey, ("198.51.100.1", ForwarderKey));
        using var created = await SendAsync(dashboard, UsageApiHost.MasterKey, ("198.51.100.2", ForwarderKey), HttpMethod.Post, """{"name":"via the Dashboard"}""");
        using var audit = await SendAsync(dashboard, UsageApiHost.MasterKey, ("198.51.100.2", ForwarderKey), path: "/v1/audit?action=key.created");

        Assert.Equal(HttpStatusCode.OK, otherBrowser.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, blockedBrowser.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var entry = Assert.Single((await audit.ReadJsonAsync()).GetProperty("data").EnumerateArray());
        Assert.Equal("198.51.100.2", entry.GetProperty("client_address").GetString());
    }

    [Fact]
    public async Task ForwardedWithAWrongForwarderKey_CountedUnderTheConnectionsAddress()
    {
        using var a = Replica(new AllLogs(), ("AIPLATFORM_FORWARDER_KEY", "sk-aig-fwd-0123456789abcdefghijklmnopqrstuvwxyzABCD"));

        using var failed = await SendAsync(a, "wrong-" + Guid.NewGuid().ToString("N"), ("198.51.100.1", "sk-aig-fwd-guessed"));

        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        Assert.Equal(1, await CountAsync());
    }

    /// <summary>The failures Redis holds for the test client's address, null when none; asserts there is one count only.</summary>
    private async Task<int?> CountAsync()
    {
        var keys = new List<RedisKey>();
        await foreach (var key in _redis.GetServers()[0].KeysAsync(pattern: CountKeyPattern))
        {
            keys.Add(key);
        }

        if (keys.Count == 0)
        {
            return null;
        }

        var single = Assert.Single(keys);
        Assert.EndsWith(":" + Address, single.ToString(), StringComparison.Ordinal);
        return (int)await _redis.GetDatabase().StringGetAsync(single);
    }

    /// <summary>A UsageApi over the class's database and Redis, with the limit at <see cref="Limit"/>.</summary>
    private HttpClient Replica(AllLogs logs, params (string Key, string Value)[] settings) => Replica(logs, null, settings);

    private HttpClient Replica(AllLogs logs, Action<IServiceCollection>? configure, params (string Key, string Value)[] settings)
    {
        var host = UsageApiHost.Create(_usageDb, redis, clock: null, settings: [("AdminAuth:FailuresPerWindow", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. settings]);
        _hosts.Add(host);
        var withLogs = logs.AddTo(host);
        if (configure is not null)
        {
            withLogs = withLogs.WithWebHostBuilder(web => web.ConfigureTestServices(configure));
        }

        return withLogs.CreateClient();
    }

    private static Task<HttpResponseMessage> SendAsync(
        HttpClient client, string credential, (string Address, string Key)? forwarded = null, HttpMethod? method = null, string? body = null,
        string path = "/v1/keys")
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        if (forwarded is { } browser)
        {
            request.Headers.Add(AdminClientAddress.ForwardedForHeader, browser.Address);
            request.Headers.Add(AdminClientAddress.ForwarderKeyHeader, browser.Key);
        }

        if (body is not null)
        {
            request.Content = UsageApiHost.Json(body);
        }

        return client.SendAsync(request);
    }

    private sealed class UnavailableTokens : IAdminTokenResolver
    {
        public ValueTask<AdminIdentity?> ResolveAsync(string token, CancellationToken cancellationToken) =>
            throw new AdminTokensUnavailableException("the usage database cannot be read: NpgsqlException");
    }
}
