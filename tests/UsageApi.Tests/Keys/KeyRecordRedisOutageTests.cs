using System.Net;
using AiPlatform.Testing;

namespace AiPlatform.UsageApi.Tests.Keys;

/// <summary>Postgres is the truth: a Redis outage never fails a change. Own class: it stops its Redis.</summary>
public sealed class KeyRecordRedisOutageTests(PostgresServer postgres, RedisServer redis) : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    [Fact]
    public async Task Create_RedisStopped_Returns201AndRecordsAppearWhenRedisIsBack()
    {
        await using var usageApi = UsageApiHost.Create(await postgres.CreateDatabaseAsync(), redis);
        using var client = usageApi.CreateAdminClient();
        var (_, before, _) = await client.CreateKeyAsync("""{"name": "before the outage"}""");
        await using (var probe = await RedisProbe.ConnectAsync(redis))
        {
            Assert.NotNull(await probe.ReadRecordAsync(before));
        }

        string during;
        await redis.StopAsync();
        try
        {
            var started = TimeProvider.System.GetTimestamp();
            using var response = await client.PostJsonAsync("/v1/keys", """{"name": "during the outage", "tpm": 9}""");

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.FromSeconds(10));
            during = (await response.ReadJsonAsync()).GetProperty("key").GetString()!;
        }
        finally
        {
            await redis.StartAsync();
        }

        // Redis came back empty (no persistence): the deferred write brings the new key, the re-sync on reconnect the old one.
        await using var after = await RedisProbe.ConnectAsync(redis);
        await Eventually.TrueAsync(async () =>
            await after.ReadRecordAsync(during) is not null && await after.ReadRecordAsync(before) is not null,
            TestTimeouts.Default, "both records are written once Redis is back");
        Assert.Equal(9, (await after.ReadRecordAsync(during))!.Value.GetProperty("tpm").GetInt32());
    }
}
