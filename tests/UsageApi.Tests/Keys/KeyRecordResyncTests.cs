using AiPlatform.Testing;

namespace AiPlatform.UsageApi.Tests.Keys;

/// <summary>A flushed Redis is repaired when UsageApi starts. Own class: it flushes its Redis.</summary>
public sealed class KeyRecordResyncTests(PostgresServer postgres, RedisServer redis) : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    [Fact]
    public async Task Start_RedisFlushed_RewritesEveryKeyRecord()
    {
        var usageDb = await postgres.CreateDatabaseAsync();
        await using var probe = await RedisProbe.ConnectAsync(redis);
        string active, limited, revoked;
        await using (var first = UsageApiHost.Create(usageDb, redis))
        {
            using var client = first.CreateAdminClient();
            (_, active, _) = await client.CreateKeyAsync("""{"name": "active"}""");
            (_, limited, _) = await client.CreateKeyAsync("""{"name": "limited", "rpm": 3, "models": ["m"]}""");
            string revokedId;
            (revokedId, revoked, _) = await client.CreateKeyAsync("""{"name": "revoked"}""");
            (await client.DeleteAsync($"/v1/keys/{revokedId}")).Dispose();
            await probe.WaitForInvalidationAsync(revoked);
        }

        await probe.Database.ExecuteAsync("FLUSHALL");
        Assert.Null(await probe.ReadRecordAsync(active));

        await using var second = UsageApiHost.Create(usageDb, redis);
        using var started = second.CreateClient();

        await Eventually.TrueAsync(async () =>
            await probe.ReadRecordAsync(active) is not null
            && await probe.ReadRecordAsync(limited) is not null
            && await probe.ReadRecordAsync(revoked) is not null,
            TestTimeouts.Default, "every key's record is written again at start-up");
        Assert.Equal(3, (await probe.ReadRecordAsync(limited))!.Value.GetProperty("rpm").GetInt32());
        Assert.False((await probe.ReadRecordAsync(active))!.Value.GetProperty("revoked").GetBoolean());
        Assert.True((await probe.ReadRecordAsync(revoked))!.Value.GetProperty("revoked").GetBoolean());
    }
}
