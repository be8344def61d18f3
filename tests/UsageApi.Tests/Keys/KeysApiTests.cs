using System.Net;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.UsageApi.Tests.Keys;

/// <summary>The key lifecycle through the admin API, against real Postgres and Redis.</summary>
public sealed class KeysApiTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>, IAsyncLifetime
{
    private WebApplicationFactory<Program> _usageApi = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _usageApi = UsageApiHost.Create(await postgres.CreateDatabaseAsync(), redis);
        _client = _usageApi.CreateAdminClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _usageApi.DisposeAsync();
    }

    [Fact]
    public async Task Create_NameOnly_Returns201WithKeyShownOnce()
    {
        using var response = await _client.PostJsonAsync("/v1/keys", """{"name": "my app"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/keys/{id}", response.Headers.Location?.OriginalString);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal(
            ["id", "key", "key_prefix", "name", "rpm", "tpm", "budget_usd", "budget_period", "models", "expires_at", "metadata", "cache_namespace", "log_payloads",
             "created_at", "revoked_at"],
            body.EnumerateObject().Select(p => p.Name));
        var key = body.GetProperty("key").GetString()!;
        Assert.Matches("^sk-aig-[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(key[..11] + "…", body.GetProperty("key_prefix").GetString());
        Assert.Equal("my app", body.GetProperty("name").GetString());
        foreach (var empty in new[] { "rpm", "tpm", "budget_usd", "budget_period", "expires_at", "cache_namespace", "revoked_at" })
        {
            Assert.Equal(JsonValueKind.Null, body.GetProperty(empty).ValueKind);
        }

        Assert.Equal("[]", body.GetProperty("models").GetRawText());
        Assert.Equal("{}", body.GetProperty("metadata").GetRawText());
        Assert.False(body.GetProperty("log_payloads").GetBoolean());

        // Never again: neither the record nor the list carries the plain key.
        using var get = await _client.GetAsync($"/v1/keys/{id}");
        var got = await get.Content.ReadAsStringAsync();
        using var list = await _client.GetAsync("/v1/keys");
        var listed = await list.Content.ReadAsStringAsync();
        Assert.False(JsonElement.Parse(got).TryGetProperty("key", out _));
        Assert.DoesNotContain(key[11..], got, StringComparison.Ordinal);
        Assert.DoesNotContain(key[11..], listed, StringComparison.Ordinal);
        Assert.Equal(body.GetProperty("key_prefix").GetString(), JsonElement.Parse(got).GetProperty("key_prefix").GetString());
    }

    [Fact]
    public async Task Create_EveryField_EchoedBackAndStored()
    {
        var (id, _, created) = await _client.CreateKeyAsync("""
            {"name": "full", "rpm": 60, "tpm": 100000, "budget_usd": 25.50, "models": ["gpt-4o-mini", "llama"],
             "expires_at": "2099-01-31T12:00:00Z", "metadata": {"team": "search", "cost_center": 42}, "cache_namespace": "team-a",
             "log_payloads": true}
            """);

        using var get = await _client.GetAsync($"/v1/keys/{id}");
        var stored = await get.ReadJsonAsync();

        foreach (var body in new[] { created, stored })
        {
            Assert.Equal(60, body.GetProperty("rpm").GetInt32());
            Assert.Equal(100000, body.GetProperty("tpm").GetInt32());
            Assert.Equal("25.5", body.GetProperty("budget_usd").GetRawText());
            Assert.Equal(["gpt-4o-mini", "llama"], body.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal(new DateTimeOffset(2099, 1, 31, 12, 0, 0, TimeSpan.Zero), body.GetProperty("expires_at").GetDateTimeOffset());
            Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"team": "search", "cost_center": 42}"""), body.GetProperty("metadata")));
            Assert.Equal("team-a", body.GetProperty("cache_namespace").GetString());
            Assert.True(body.GetProperty("log_payloads").GetBoolean());
        }
    }

    [Fact]
    public async Task List_SomeRevoked_NewestFirstAndRevokedOnlyWhenAsked()
    {
        var (first, _, _) = await _client.CreateKeyAsync("""{"name": "first"}""");
        var (second, _, _) = await _client.CreateKeyAsync("""{"name": "second"}""");
        var (third, _, _) = await _client.CreateKeyAsync("""{"name": "third"}""");
        (await _client.DeleteAsync($"/v1/keys/{second}")).Dispose();

        using var active = await _client.GetAsync("/v1/keys");
        using var all = await _client.GetAsync("/v1/keys?include_revoked=true");

        var activeBody = await active.ReadJsonAsync();
        Assert.Equal("list", activeBody.GetProperty("object").GetString());
        Assert.Equal([third, first], Ids(activeBody));
        Assert.Equal([third, second, first], Ids(await all.ReadJsonAsync()));

        static IEnumerable<string?> Ids(JsonElement list) => list.GetProperty("data").EnumerateArray().Select(k => k.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Patch_Limits_ChangedAndOthersKept()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "limits", "rpm": 10, "tpm": 1000, "models": ["a"]}""");

        using var response = await _client.PatchJsonAsync($"/v1/keys/{id}", """{"rpm": 20, "budget_usd": 3}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(20, body.GetProperty("rpm").GetInt32());
        Assert.Equal(1000, body.GetProperty("tpm").GetInt32());
        Assert.Equal(3m, body.GetProperty("budget_usd").GetDecimal());
        Assert.Equal("[\"a\"]", body.GetProperty("models").GetRawText());
        Assert.False(body.TryGetProperty("key", out _));
        using var get = await _client.GetAsync($"/v1/keys/{id}");
        Assert.Equal(20, (await get.ReadJsonAsync()).GetProperty("rpm").GetInt32());
    }

    [Theory]
    [InlineData("""{"log_payloads": true}""", true)]
    [InlineData("""{"log_payloads": false}""", false)]
    [InlineData("""{"log_payloads": null}""", false)]
    [InlineData("""{"rpm": 5}""", true)]
    public async Task Patch_LogPayloads_SetClearedOrKept(string patch, bool expected)
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "payloads", "log_payloads": true}""");

        using var response = await _client.PatchJsonAsync($"/v1/keys/{id}", patch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await response.ReadJsonAsync()).GetProperty("log_payloads").GetBoolean());
        using var get = await _client.GetAsync($"/v1/keys/{id}");
        Assert.Equal(expected, (await get.ReadJsonAsync()).GetProperty("log_payloads").GetBoolean());
    }

    [Fact]
    public async Task Patch_NullFields_Cleared()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""
            {"name": "clear", "rpm": 10, "tpm": 1000, "budget_usd": 1, "models": ["a"], "expires_at": "2099-01-01T00:00:00Z",
             "metadata": {"a": 1}, "cache_namespace": "ns"}
            """);

        using var response = await _client.PatchJsonAsync($"/v1/keys/{id}", """
            {"rpm": null, "tpm": null, "budget_usd": null, "models": null, "expires_at": null, "metadata": null, "cache_namespace": null}
            """);

        var body = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var cleared in new[] { "rpm", "tpm", "budget_usd", "expires_at", "cache_namespace" })
        {
            Assert.Equal(JsonValueKind.Null, body.GetProperty(cleared).ValueKind);
        }

        Assert.Equal("[]", body.GetProperty("models").GetRawText());
        Assert.Equal("{}", body.GetProperty("metadata").GetRawText());
        Assert.Equal("clear", body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Patch_Metadata_MergedPerJsonMergePatch()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "meta", "metadata": {"team": "a", "owner": "x"}}""");

        using var response = await _client.PatchJsonAsync($"/v1/keys/{id}", """{"metadata": {"owner": null, "env": "prod"}}""");

        var metadata = (await response.ReadJsonAsync()).GetProperty("metadata");
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"team": "a", "env": "prod"}"""), metadata), metadata.GetRawText());
    }

    [Fact]
    public async Task Patch_ConcurrentDifferentFields_AllApplied()
    {
        var (id, _, _) = await _client.CreateKeyAsync("""{"name": "racing"}""");
        string[] patches = ["""{"rpm": 7}""", """{"tpm": 700}""", """{"budget_usd": 7}""", """{"cache_namespace": "seven"}""",
            """{"models": ["m7"]}""", """{"metadata": {"a": 7}}""", """{"metadata": {"b": 7}}""", """{"name": "seven"}"""];

        var statuses = await Task.WhenAll(patches.Select(patch => Task.Run(async () =>
        {
            using var response = await _client.PatchJsonAsync($"/v1/keys/{id}", patch);
            return response.StatusCode;
        })));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        using var get = await _client.GetAsync($"/v1/keys/{id}");
        var key = await get.ReadJsonAsync();
        Assert.Equal(7, key.GetProperty("rpm").GetInt32());
        Assert.Equal(700, key.GetProperty("tpm").GetInt32());
        Assert.Equal("7", key.GetProperty("budget_usd").GetRawText());
        Assert.Equal("seven", key.GetProperty("cache_namespace").GetString());
        Assert.Equal("[\"m7\"]", key.GetProperty("models").GetRawText());
        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"a": 7, "b": 7}"""), key.GetProperty("metadata")), key.GetProperty("metadata").GetRawText());
        Assert.Equal("seven", key.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Delete_Key_RevokesIdempotently()
    {
        var (id, _, _) = await _client.CreateKeyAsync();

        using var first = await _client.DeleteAsync($"/v1/keys/{id}");
        using var second = await _client.DeleteAsync($"/v1/keys/{id}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var revokedAt = (await first.ReadJsonAsync()).GetProperty("revoked_at").GetDateTimeOffset();
        Assert.Equal(revokedAt, (await second.ReadJsonAsync()).GetProperty("revoked_at").GetDateTimeOffset());
        using var get = await _client.GetAsync($"/v1/keys/{id}");
        Assert.Equal(revokedAt, (await get.ReadJsonAsync()).GetProperty("revoked_at").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Request_UnknownId_Returns404InOpenAiShape(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/v1/keys/{Guid.NewGuid()}")
        {
            Content = method == "PATCH" ? UsageApiHost.Json("""{"rpm": 1}""") : null,
        };

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, ApiErrorCodes.NotFound);
        Assert.Equal("id", error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("""{}""", "name")]
    [InlineData("""{"name": ""}""", "name")]
    [InlineData("""{"name": 5}""", "name")]
    [InlineData("""{"name": "x", "rpm": 0}""", "rpm")]
    [InlineData("""{"name": "x", "tpm": -5}""", "tpm")]
    [InlineData("""{"name": "x", "rpm": 2.5}""", "rpm")]
    [InlineData("""{"name": "x", "budget_usd": -1}""", "budget_usd")]
    [InlineData("""{"name": "x", "budget_usd": "10"}""", "budget_usd")]
    [InlineData("""{"name": "x", "models": ["ok", " "]}""", "models")]
    [InlineData("""{"name": "x", "models": "gpt"}""", "models")]
    [InlineData("""{"name": "x", "expires_at": "2001-01-01T00:00:00Z"}""", "expires_at")]
    [InlineData("""{"name": "x", "expires_at": "soon"}""", "expires_at")]
    [InlineData("""{"name": "x", "metadata": "text"}""", "metadata")]
    [InlineData("""{"name": "x", "cache_namespace": ""}""", "cache_namespace")]
    [InlineData("""{"name": "x", "log_payloads": "yes"}""", "log_payloads")]
    [InlineData("""{"name": "x", "rate_limit": 5}""", "rate_limit")]
    public async Task Create_InvalidField_Returns400NamingIt(string json, string param)
    {
        using var response = await _client.PostJsonAsync("/v1/keys", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest);
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Create_NameTooLong_Returns400()
    {
        using var response = await _client.PostJsonAsync("/v1/keys", JsonSerializer.Serialize(new { name = new string('n', 201) }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("name", (await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task Create_UnknownFields_Returns400NamingEach()
    {
        using var response = await _client.PostJsonAsync("/v1/keys", """{"name": "x", "limit": 1, "owner": "me"}""");

        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, "unknown_parameter");
        Assert.Contains("limit, owner", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("")]
    [InlineData("name=x")]
    [InlineData("""{"name": "x", "name": "y"}""")]
    [InlineData("""["name"]""")]
    public async Task Create_NotAJsonObject_Returns400(string body)
    {
        using var response = await _client.PostJsonAsync("/v1/keys", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest);
    }

    [Fact]
    public async Task Patch_NameNull_Returns400()
    {
        var (id, _, _) = await _client.CreateKeyAsync();

        using var response = await _client.PatchJsonAsync($"/v1/keys/{id}", """{"name": null}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("name", (await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest)).GetProperty("param").GetString());
    }
}
