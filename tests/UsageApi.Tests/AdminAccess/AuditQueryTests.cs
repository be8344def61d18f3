using System.Net;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.UsageApi.Tests.AdminAccess;

/// <summary><c>GET /v1/audit</c>'s filters, its pages (newest first, <c>next_cursor</c>) and its refusals of bad parameters.</summary>
[Collection(AdminAccessCollection.Name)]
public sealed class AuditQueryTests(AdminAccessFixture fixture)
{
    private HttpClient Master => fixture.Master;

    [Fact]
    public async Task List_LimitAndCursor_PagesNewestFirstWithoutGapsOrRepeats()
    {
        // Its own actor, so that the other tests' entries do not count.
        var (tokenId, token) = await fixture.CreateTokenAsync("pager", [AdminScopes.PricesWrite]);
        using var client = fixture.ClientWith(token);
        var models = Enumerable.Range(0, 5).Select(i => $"paging/model-{i}").ToList();
        foreach (var model in models)
        {
            await SetPriceAsync(client, model);
        }

        var pages = new List<List<JsonElement>>();
        var filter = $"?actor_id={tokenId}&action=price.set&limit=2";
        var query = filter;
        while (true)
        {
            var page = await Master.ReadPageAsync(query);
            pages.Add([.. page.GetProperty("data").EnumerateArray()]);
            if (!page.GetProperty("has_more").GetBoolean())
            {
                Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
                break;
            }

            query = filter + "&cursor=" + page.GetProperty("next_cursor").GetString();
        }

        Assert.Equal([2, 2, 1], pages.Select(p => p.Count));
        var entries = pages.SelectMany(p => p).ToList();
        Assert.Equal(Enumerable.Reverse(models), entries.Select(e => e.GetProperty("target").GetProperty("id").GetString()));
        var ids = entries.Select(e => long.Parse(e.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task List_NoLimit_FiftyNewestWithMoreToRead()
    {
        for (var i = 0; i < 26; i++)
        {
            await SetPriceAsync(Master, $"default-limit/model-{i}");
            (await Master.DeleteAsync($"/v1/prices/default-limit/model-{i}")).Dispose();
        }

        var page = await Master.ReadPageAsync();

        Assert.Equal(50, page.GetProperty("data").GetArrayLength());
        Assert.True(page.GetProperty("has_more").GetBoolean());
        Assert.Equal("price.deleted", page.GetProperty("data")[0].GetProperty("action").GetString());
        Assert.Equal("default-limit/model-25", page.GetProperty("data")[0].GetProperty("target").GetProperty("id").GetString());
    }

    [Fact]
    public async Task List_ActorId_OnlyThatTokensChanges()
    {
        var (tokenId, token) = await fixture.CreateTokenAsync("filtered actor", [AdminScopes.PricesWrite]);
        using var client = fixture.ClientWith(token);
        await SetPriceAsync(client, "actor/by-token");
        await SetPriceAsync(Master, "actor/by-master");

        var entries = await Master.ReadAuditAsync($"?actor_id={tokenId}");

        var entry = Assert.Single(entries);
        Assert.Equal("actor/by-token", entry.GetProperty("target").GetProperty("id").GetString());
    }

    [Fact]
    public async Task List_ActionAndTargetType_OnlyMatchingEntries()
    {
        var (keyId, _, _) = await Master.CreateKeyAsync("""{"name": "filtered"}""");
        (await Master.DeleteAsync($"/v1/keys/{keyId}")).Dispose();
        await SetPriceAsync(Master, "filters/model");

        var revoked = await Master.ReadAuditAsync("?action=key.revoked&limit=200");
        var keys = await Master.ReadAuditAsync("?target_type=key&limit=200");
        var both = await Master.ReadAuditAsync($"?target_type=key&target_id={keyId}&action=key.created");

        Assert.NotEmpty(revoked);
        Assert.All(revoked, e => Assert.Equal("key.revoked", e.GetProperty("action").GetString()));
        Assert.Contains(revoked, e => e.GetProperty("target").GetProperty("id").GetString() == keyId);
        Assert.All(keys, e => Assert.Equal("key", e.GetProperty("target").GetProperty("type").GetString()));
        Assert.Equal(2, keys.Count(e => e.GetProperty("target").GetProperty("id").GetString() == keyId));
        Assert.Equal(keyId, Assert.Single(both).GetProperty("target").GetProperty("id").GetString());
    }

    [Fact]
    public async Task List_FromAndTo_FromInclusiveToExclusive()
    {
        fixture.Clock.Advance(TimeSpan.FromDays(1));
        var first = fixture.Clock.GetUtcNow();
        await SetPriceAsync(Master, "window/first");
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        var second = fixture.Clock.GetUtcNow();
        await SetPriceAsync(Master, "window/second");
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        await SetPriceAsync(Master, "window/third");

        var between = await Master.ReadAuditAsync($"?from={Iso(first)}&to={Iso(second)}");
        var fromSecond = await Master.ReadAuditAsync($"?from={Iso(second)}");

        Assert.Equal(["window/first"], between.Select(e => e.GetProperty("target").GetProperty("id").GetString()));
        Assert.Equal(["window/third", "window/second"], fromSecond.Select(e => e.GetProperty("target").GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("?action=key.deleted", "action")]
    [InlineData("?action=", "action")]
    [InlineData("?target_type=user", "target_type")]
    [InlineData("?actor_id=master", "actor_id")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=201", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?limit=-1", "limit")]
    [InlineData("?limit=1&limit=2", "limit")]
    [InlineData("?cursor=abc", "cursor")]
    [InlineData("?cursor=0", "cursor")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?to=1999-12-31T00:00:00Z", "to")]
    [InlineData("?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("?from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    public async Task List_BadParameter_Returns400NamingIt(string query, string param)
    {
        using var response = await Master.GetAsync("/v1/audit" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest);
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    private static async Task SetPriceAsync(HttpClient client, string model)
    {
        using var response = await client.PutAsync($"/v1/prices/{model}", UsageApiHost.Json("""{"input_per_million_usd": 1, "output_per_million_usd": 2}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O"));
}
