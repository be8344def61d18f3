using System.Text.Json;
using System.Threading.Channels;
using AiPlatform.Testing;
using AiPlatform.UsageApi.Keys;
using StackExchange.Redis;

namespace AiPlatform.UsageApi.Tests.Keys;

/// <summary>The test's own view of Redis: reads key records and listens to the invalidation channel.</summary>
internal sealed class RedisProbe : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly Channel<string> _invalidations = Channel.CreateUnbounded<string>();

    private RedisProbe(ConnectionMultiplexer connection) => _connection = connection;

    public IDatabase Database => _connection.GetDatabase();

    public static async Task<RedisProbe> ConnectAsync(RedisServer redis)
    {
        var probe = new RedisProbe(await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true"));
        await probe._connection.GetSubscriber().SubscribeAsync(
            RedisChannel.Literal(KeyRecordFormat.InvalidationChannel),
            (_, message) => probe._invalidations.Writer.TryWrite(message.ToString()));
        return probe;
    }

    public static string HashHex(string plainKey) => ApiKeyHash.ToHex(ApiKeyHash.Compute(plainKey));

    /// <summary>The record of <paramref name="plainKey"/> as Redis holds it, or null.</summary>
    public async Task<JsonElement?> ReadRecordAsync(string plainKey)
    {
        var value = await Database.StringGetAsync($"aig:key:{HashHex(plainKey)}");
        return value.IsNull ? null : JsonElement.Parse(value.ToString());
    }

    /// <summary>Waits until the invalidation of <paramref name="plainKey"/> arrives, skipping others.</summary>
    public async Task WaitForInvalidationAsync(string plainKey)
    {
        var hex = HashHex(plainKey);
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (await _invalidations.Reader.ReadAsync(timeout.Token) != hex)
        {
        }
    }

    public void DiscardInvalidations()
    {
        while (_invalidations.Reader.TryRead(out _))
        {
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
