using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.UsageApi.Tests.AdminAccess;

/// <summary>
/// Every kind of admin change writes exactly one audit entry, naming who made it, from where, and the target before and
/// after, and never a secret. Each test reads only the entries of its own targets.
/// </summary>
[Collection(AdminAccessCollection.Name)]
public sealed class AuditTrailTests(AdminAccessFixture fixture)
{
    // The in-memory test server has no remote address; the admin filter then names IPAddress.None.
    private const string TestClientAddress = "255.255.255.255";

    private HttpClient Master => fixture.Master;

    [Fact]
    public async Task CreateKey_ByAToken_OneKeyCreatedEntryNamingTheToken()
    {
        var (tokenId, token) = await fixture.CreateTokenAsync("key maker", [AdminScopes.KeysWrite]);
        using var client = fixture.ClientWith(token);
        fixture.Clock.Advance(TimeSpan.FromSeconds(7));

        var (keyId, _, _) = await client.CreateKeyAsync("""{"name": "audited", "rpm": 10}""");

        var entry = Assert.Single(await Master.ReadAuditOfAsync("key", keyId));
        Assert.Equal("audit.entry", entry.GetProperty("object").GetString());
        Assert.Equal("key.created", entry.GetProperty("action").GetString());
        Assert.Equal(fixture.Clock.GetUtcNow(), entry.GetProperty("at").GetDateTimeOffset());
        AssertActor(entry, "token", tokenId, "key maker");
        Assert.Equal(TestClientAddress, entry.GetProperty("client_address").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("before").ValueKind);
        var after = entry.GetProperty("after");
        Assert.Equal(keyId, after.GetProperty("id").GetString());
        Assert.Equal("audited", after.GetProperty("name").GetString());
        Assert.Equal(10, after.GetProperty("rpm").GetInt32());
    }

    [Fact]
    public async Task UpdateKey_OneFieldChanged_OneKeyUpdatedEntryWithBeforeAndAfter()
    {
        var (keyId, _, _) = await Master.CreateKeyAsync("""{"name": "to change", "rpm": 10}""");

        using var patch = await Master.PatchJsonAsync($"/v1/keys/{keyId}", """{"rpm": 60}""");

        Assert.True(patch.IsSuccessStatusCode);
        var entries = await Master.ReadAuditOfAsync("key", keyId);
        Assert.Equal(["key.updated", "key.created"], entries.Select(e => e.GetProperty("action").GetString()));
        var updated = entries[0];
        AssertActor(updated, "master", null, "master key");
        Assert.Equal(10, updated.GetProperty("before").GetProperty("rpm").GetInt32());
        Assert.Equal(60, updated.GetProperty("after").GetProperty("rpm").GetInt32());
        Assert.Equal("to change", updated.GetProperty("after").GetProperty("name").GetString());
        // Only the changed field differs.
        var before = updated.GetProperty("before").EnumerateObject().Where(p => p.Name != "rpm").Select(p => (p.Name, p.Value.GetRawText()));
        var after = updated.GetProperty("after").EnumerateObject().Where(p => p.Name != "rpm").Select(p => (p.Name, p.Value.GetRawText()));
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"rpm": 10, "name": "unchanged"}""")]
    public async Task UpdateKey_NothingChanged_NoEntry(string patchBody)
    {
        var (keyId, _, _) = await Master.CreateKeyAsync("""{"name": "unchanged", "rpm": 10}""");

        using var patch = await Master.PatchJsonAsync($"/v1/keys/{keyId}", patchBody);

        Assert.True(patch.IsSuccessStatusCode);
        Assert.Equal(["key.created"], (await Master.ReadAuditOfAsync("key", keyId)).Select(e => e.GetProperty("action").GetString()));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task UpdateKey_LogPayloadsFlipped_OnePayloadLoggingSwitchedEntry(bool from, bool to)
    {
        var (keyId, _, _) = await Master.CreateKeyAsync($$"""{"name": "payload switch", "log_payloads": {{(from ? "true" : "false")}}}""");

        using var patch = await Master.PatchJsonAsync($"/v1/keys/{keyId}", $$"""{"log_payloads": {{(to ? "true" : "false")}}, "rpm": 5}""");

        Assert.True(patch.IsSuccessStatusCode);
        var entries = await Master.ReadAuditOfAsync("key", keyId);
        Assert.Equal(["key.payload_logging_switched", "key.created"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(from, entries[0].GetProperty("before").GetProperty("log_payloads").GetBoolean());
        Assert.Equal(to, entries[0].GetProperty("after").GetProperty("log_payloads").GetBoolean());
        Assert.Equal(5, entries[0].GetProperty("after").GetProperty("rpm").GetInt32());
    }

    [Fact]
    public async Task RevokeKey_Twice_OneKeyRevokedEntry()
    {
        var (keyId, _, _) = await Master.CreateKeyAsync("""{"name": "to revoke"}""");

        (await Master.DeleteAsync($"/v1/keys/{keyId}")).Dispose();
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        using var second = await Master.DeleteAsync($"/v1/keys/{keyId}");

        Assert.True(second.IsSuccessStatusCode);
        var entries = await Master.ReadAuditOfAsync("key", keyId);
        Assert.Equal(["key.revoked", "key.created"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("before").GetProperty("revoked_at").ValueKind);
        Assert.Equal(JsonValueKind.String, entries[0].GetProperty("after").GetProperty("revoked_at").ValueKind);
    }

    [Fact]
    public async Task SetPrice_NewThenReplaced_OnePriceSetEntryEach()
    {
        const string Model = "audit/new-then-replaced";
        var (tokenId, token) = await fixture.CreateTokenAsync("pricer", [AdminScopes.PricesWrite]);
        using var client = fixture.ClientWith(token);

        (await client.PutAsync($"/v1/prices/{Model}", UsageApiHost.Json("""{"input_per_million_usd": 1.5, "output_per_million_usd": 2}"""))).Dispose();
        (await client.PutAsync($"/v1/prices/{Model}", UsageApiHost.Json("""{"input_per_million_usd": 3, "output_per_million_usd": 4.25}"""))).Dispose();

        var entries = await Master.ReadAuditOfAsync("price", Model);
        Assert.Equal(["price.set", "price.set"], entries.Select(e => e.GetProperty("action").GetString()));
        var (replaced, created) = (entries[0], entries[1]);
        AssertActor(created, "token", tokenId, "pricer");
        Assert.Equal(JsonValueKind.Null, created.GetProperty("before").ValueKind);
        Assert.Equal(1.5m, created.GetProperty("after").GetProperty("input_per_million_usd").GetDecimal());
        Assert.Equal(1.5m, replaced.GetProperty("before").GetProperty("input_per_million_usd").GetDecimal());
        Assert.Equal(2m, replaced.GetProperty("before").GetProperty("output_per_million_usd").GetDecimal());
        Assert.Equal(3m, replaced.GetProperty("after").GetProperty("input_per_million_usd").GetDecimal());
        Assert.Equal(4.25m, replaced.GetProperty("after").GetProperty("output_per_million_usd").GetDecimal());
        Assert.Equal(Model, replaced.GetProperty("target").GetProperty("id").GetString());
    }

    [Fact]
    public async Task DeletePrice_Twice_OnePriceDeletedEntryWithTheOldPrice()
    {
        const string Model = "audit/deleted";
        (await Master.PutAsync($"/v1/prices/{Model}", UsageApiHost.Json("""{"input_per_million_usd": 7, "output_per_million_usd": 8}"""))).Dispose();

        using var first = await Master.DeleteAsync($"/v1/prices/{Model}");
        using var second = await Master.DeleteAsync($"/v1/prices/{Model}");

        Assert.True(first.IsSuccessStatusCode);
        Assert.False(second.IsSuccessStatusCode);
        var entries = await Master.ReadAuditOfAsync("price", Model);
        Assert.Equal(["price.deleted", "price.set"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(7m, entries[0].GetProperty("before").GetProperty("input_per_million_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("after").ValueKind);
    }

    [Fact]
    public async Task AdminToken_CreatedAndRevokedTwice_OneEntryEachWithoutTheToken()
    {
        var (id, token) = await fixture.CreateTokenAsync("audited token", [AdminScopes.AuditRead]);

        (await Master.DeleteAsync($"/v1/admin/tokens/{id}")).Dispose();
        (await Master.DeleteAsync($"/v1/admin/tokens/{id}")).Dispose();

        var entries = await Master.ReadAuditOfAsync("admin_token", id);
        Assert.Equal(["admin_token.revoked", "admin_token.created"], entries.Select(e => e.GetProperty("action").GetString()));
        var (revoked, created) = (entries[0], entries[1]);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("before").ValueKind);
        Assert.Equal("audited token", created.GetProperty("after").GetProperty("name").GetString());
        Assert.Equal(["audit:read"], created.GetProperty("after").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, revoked.GetProperty("before").GetProperty("revoked_at").ValueKind);
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("after").GetProperty("revoked_at").ValueKind);
        Assert.DoesNotContain(token, string.Join(",", entries.Select(e => e.GetRawText())), StringComparison.Ordinal);
        Assert.False(created.GetProperty("after").TryGetProperty("token", out _));
    }

    [Fact]
    public async Task Audit_AfterChangesOfEveryKind_HoldsNoSecret()
    {
        var (tokenId, token) = await fixture.CreateTokenAsync("secret keeper", [AdminScopes.Admin]);
        using var client = fixture.ClientWith(token);
        var (keyId, plainKey, _) = await client.CreateKeyAsync("""{"name": "secret", "log_payloads": true}""");
        (await client.PatchJsonAsync($"/v1/keys/{keyId}", """{"log_payloads": false, "name": "secret 2"}""")).Dispose();
        (await client.DeleteAsync($"/v1/keys/{keyId}")).Dispose();
        (await client.DeleteAsync($"/v1/admin/tokens/{(await fixture.CreateTokenAsync("other", [AdminScopes.LogsRead])).Id}")).Dispose();

        using var response = await Master.GetAsync("/v1/audit?limit=200");
        var audit = await response.Content.ReadAsStringAsync();

        Assert.Contains(keyId, audit, StringComparison.Ordinal);
        Assert.Contains(tokenId, audit, StringComparison.Ordinal);
        var keyHash = SHA256.HashData(Encoding.UTF8.GetBytes(plainKey));
        foreach (var secret in new[]
        {
            plainKey, plainKey[^20..], token, token[^20..], UsageApiHost.MasterKey, "key_hash", "token_hash",
            Convert.ToHexStringLower(keyHash), Convert.ToBase64String(keyHash),
        })
        {
            Assert.DoesNotContain(secret, audit, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static void AssertActor(JsonElement entry, string kind, string? id, string name)
    {
        var actor = entry.GetProperty("actor");
        Assert.Equal(kind, actor.GetProperty("kind").GetString());
        Assert.Equal(id, actor.GetProperty("id").GetString());
        Assert.Equal(name, actor.GetProperty("name").GetString());
    }
}
