using System.Net;
using System.Text.Json;
using AiPlatform.Testing;
using AiPlatform.UsageApi.Keys;
using AiPlatform.UsageApi.Tests.Keys;
using AiPlatform.UsageApi.Tests.Ledger;
using Npgsql;

namespace AiPlatform.UsageApi.Tests.Data;

/// <summary>Users' databases from the versions before EF Core, taken over by a new UsageApi at its start.</summary>
public sealed class LegacyDatabaseTests(PostgresServer postgres, RedisServer redis) : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    [Fact]
    public async Task Start_DatabaseFromLegacyScripts_KeysPricesAndLedgerKeptAndUsable()
    {
        var usageDb = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(usageDb);
        await LegacySchema.ApplyAsync(dataSource);
        var keyId = Guid.CreateVersion7();
        var plainKey = ApiKeyGenerator.Generate();
        // A key, a changed price and a usage record, as the earlier version wrote them.
        await using (var seed = dataSource.CreateCommand("""
            INSERT INTO api_keys (id, name, key_hash, key_prefix, rpm, budget_usd, models, metadata, cache_namespace, version)
            VALUES (@id, 'from the old version', @hash, @prefix, 60, 12.5, '{gpt-4o}', '{"team": "legacy"}', 'legacy-ns', 3);
            UPDATE model_prices SET input_per_million_usd = 9 WHERE model = 'gpt-4o';
            SELECT usage_records_ensure_partition('2026-01-15T00:00:00Z');
            INSERT INTO usage_records (request_id, "timestamp", key_id, status_code, cost_usd) VALUES ('legacy-1', '2026-01-15T12:00:00Z', @id::text, 200, 0.5);
            """))
        {
            seed.Parameters.AddWithValue("id", keyId);
            seed.Parameters.AddWithValue("hash", ApiKeyHash.Compute(plainKey));
            seed.Parameters.AddWithValue("prefix", ApiKeyGenerator.DisplayPrefix(plainKey));
            await seed.ExecuteNonQueryAsync();
        }

        await using var usageApi = UsageApiHost.Create(usageDb, redis);
        using var client = usageApi.CreateAdminClient();

        using var get = await client.GetAsync($"/v1/keys/{keyId}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var key = await get.ReadJsonAsync();
        Assert.Equal("from the old version", key.GetProperty("name").GetString());
        Assert.Equal(60, key.GetProperty("rpm").GetInt32());
        Assert.Equal("12.5", key.GetProperty("budget_usd").GetRawText());
        Assert.Equal("[\"gpt-4o\"]", key.GetProperty("models").GetRawText());
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"team": "legacy"}"""), key.GetProperty("metadata")));
        Assert.Equal("legacy-ns", key.GetProperty("cache_namespace").GetString());
        using (var lookup = await client.GetAsync($"/v1/keys/lookup/{RedisProbe.HashHex(plainKey)}"))
        {
            Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        }

        using (var patch = await client.PatchJsonAsync($"/v1/keys/{keyId}", """{"rpm": 61}"""))
        {
            Assert.Equal(61, (await patch.ReadJsonAsync()).GetProperty("rpm").GetInt32());
        }

        using (var spend = await client.GetAsync($"/v1/keys/{keyId}/spend"))
        {
            Assert.Equal("0.5", (await spend.ReadJsonAsync()).GetProperty("spent_usd").GetRawText());
        }

        using (var price = await client.GetAsync("/v1/prices/gpt-4o"))
        {
            Assert.Equal("9", (await price.ReadJsonAsync()).GetProperty("input_per_million_usd").GetRawText());
        }

        Assert.Equal((1, 0), await client.IngestAsync(new TestEvent { RequestId = "after-take-over", KeyId = keyId.ToString() }));
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM usage_records");
        Assert.Equal(2L, await count.ExecuteScalarAsync());
        await using var version = dataSource.CreateCommand("SELECT version FROM api_keys WHERE id = @id");
        version.Parameters.AddWithValue("id", keyId);
        Assert.Equal(4L, await version.ExecuteScalarAsync());
    }
}
