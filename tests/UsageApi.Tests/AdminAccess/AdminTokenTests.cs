using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using Npgsql;

namespace AiPlatform.UsageApi.Tests.AdminAccess;

/// <summary>
/// Admin tokens through <c>/v1/admin/tokens</c>, <c>/v1/admin/me</c> and <c>/v1/admin/introspect</c>, against real Postgres;
/// UsageApi's wall clock is the fixture's <see cref="Testing.ManualClock"/>.
/// </summary>
[Collection(AdminAccessCollection.Name)]
public sealed class AdminTokenTests(AdminAccessFixture fixture)
{
    private HttpClient Master => fixture.Master;

    [Fact]
    public async Task Create_ValidRequest_Returns201WithTheTokenOnlyInThatAnswer()
    {
        var expiresAt = fixture.Clock.GetUtcNow().AddDays(30);

        using var response = await Master.PostJsonAsync("/v1/admin/tokens",
            $$"""{"name": "ci pipeline", "scopes": ["keys:write", "audit:read"], "expires_at": "{{expiresAt:O}}"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var body = await response.ReadJsonAsync();
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/admin/tokens/{id}", response.Headers.Location?.OriginalString);
        var token = body.GetProperty("token").GetString()!;
        Assert.Matches("^sk-aig-admin-[A-Za-z0-9_-]{43}$", token);
        Assert.Equal("admin.token", body.GetProperty("object").GetString());
        Assert.Equal(token[..17] + "…", body.GetProperty("token_prefix").GetString());
        Assert.Equal("ci pipeline", body.GetProperty("name").GetString());
        Assert.Equal(["keys:write", "audit:read"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(expiresAt, body.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal(fixture.Clock.GetUtcNow(), body.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("revoked_at").ValueKind);
        Assert.Equal("master", body.GetProperty("created_by").GetProperty("kind").GetString());

        // Never again: neither the token's record nor the list carries it.
        using var get = await Master.GetAsync($"/v1/admin/tokens/{id}");
        using var list = await Master.GetAsync("/v1/admin/tokens?include_revoked=true");
        var got = await get.ReadJsonAsync();
        var listed = await list.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.False(got.TryGetProperty("token", out _));
        Assert.Equal(id, got.GetProperty("id").GetString());
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed + got, StringComparison.Ordinal);
        Assert.All(JsonElement.Parse(listed).GetProperty("data").EnumerateArray(), t => Assert.False(t.TryGetProperty("token", out _)));
    }

    [Fact]
    public async Task Create_Stored_OnlyTheHashOfTheTokenIsInTheDatabase()
    {
        var (id, token) = await fixture.CreateTokenAsync("stored", [AdminScopes.AuditRead]);

        await using var db = await fixture.OpenDatabaseAsync();
        await using var select = new NpgsqlCommand("SELECT t::text, token_hash FROM admin_tokens t WHERE id = @id", db);
        select.Parameters.AddWithValue("id", Guid.Parse(id));
        await using var reader = await select.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var row = reader.GetString(0);
        var hash = (byte[])reader.GetValue(1);

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), hash);
        // Only the display prefix (the fixed part and four characters) may show; no longer piece of the secret.
        Assert.DoesNotContain(token, row, StringComparison.Ordinal);
        Assert.DoesNotContain(token[..(AdminTokenFormat.Prefix.Length + 8)], row, StringComparison.Ordinal);
        Assert.DoesNotContain(token[^20..], row, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"scopes": ["admin"], "expires_at": "2099-01-01T00:00:00Z"}""", "name", "missing_required_parameter")]
    [InlineData("""{"name": "x", "expires_at": "2099-01-01T00:00:00Z"}""", "scopes", "missing_required_parameter")]
    [InlineData("""{"name": "x", "scopes": ["admin"]}""", "expires_at", "missing_required_parameter")]
    [InlineData("""{"name": "x", "scopes": ["root"], "expires_at": "2099-01-01T00:00:00Z"}""", "scopes", "invalid_value")]
    [InlineData("""{"name": "x", "scopes": ["keys:read", "Admin"], "expires_at": "2099-01-01T00:00:00Z"}""", "scopes", "invalid_value")]
    [InlineData("""{"name": "x", "scopes": [], "expires_at": "2099-01-01T00:00:00Z"}""", "scopes", "invalid_value")]
    [InlineData("""{"name": "x", "scopes": "admin", "expires_at": "2099-01-01T00:00:00Z"}""", "scopes", "invalid_type")]
    [InlineData("""{"name": "x", "scopes": ["admin"], "expires_at": "2020-01-01T00:00:00Z"}""", "expires_at", "invalid_value")]
    [InlineData("""{"name": "x", "scopes": ["admin"], "expires_at": "tomorrow"}""", "expires_at", "invalid_value")]
    [InlineData("""{"name": "  ", "scopes": ["admin"], "expires_at": "2099-01-01T00:00:00Z"}""", "name", "invalid_value")]
    [InlineData("""{"name": "x", "scopes": ["admin"], "expires_at": "2099-01-01T00:00:00Z", "token": "sk-aig-admin-mine"}""", "token", "unknown_parameter")]
    public async Task Create_InvalidRequest_Returns400NamingTheParameterAndCreatesNothing(string body, string param, string code)
    {
        using var response = await Master.PostJsonAsync("/v1/admin/tokens", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, code);
        Assert.Equal(param, error.GetProperty("param").GetString());
        using var list = await Master.GetAsync("/v1/admin/tokens?include_revoked=true");
        Assert.DoesNotContain("\"name\":\"x\"", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ExpiryAtTheClocksNow_Returns400()
    {
        using var response = await Master.PostJsonAsync("/v1/admin/tokens",
            $$"""{"name": "now", "scopes": ["admin"], "expires_at": "{{fixture.Clock.GetUtcNow():O}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("expires_at", (await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task Revoke_TokenInUse_NextRequestIsRefused401()
    {
        var (id, token) = await fixture.CreateTokenAsync("to revoke", [AdminScopes.AuditRead]);
        using var client = fixture.ClientWith(token);
        using var before = await client.GetAsync("/v1/audit");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using var revoke = await Master.DeleteAsync($"/v1/admin/tokens/{id}");
        using var after = await client.GetAsync("/v1/audit");

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(fixture.Clock.GetUtcNow(), (await revoke.ReadJsonAsync()).GetProperty("revoked_at").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("Bearer", after.Headers.WwwAuthenticate.ToString());
        await UsageApiHost.AssertOpenAiErrorAsync(after, ApiErrorTypes.Authentication, ApiErrorCodes.InvalidApiKey);
    }

    [Fact]
    public async Task Revoke_Twice_SecondAnswersTheFirstRevocation()
    {
        var (id, _) = await fixture.CreateTokenAsync("revoked twice", [AdminScopes.AuditRead]);
        using var first = await Master.DeleteAsync($"/v1/admin/tokens/{id}");
        var revokedAt = (await first.ReadJsonAsync()).GetProperty("revoked_at").GetDateTimeOffset();
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));

        using var second = await Master.DeleteAsync($"/v1/admin/tokens/{id}");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(revokedAt, (await second.ReadJsonAsync()).GetProperty("revoked_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task List_RevokedToken_ShownOnlyWithIncludeRevoked()
    {
        var (id, _) = await fixture.CreateTokenAsync("listed revoked", [AdminScopes.AuditRead]);
        (await Master.DeleteAsync($"/v1/admin/tokens/{id}")).Dispose();

        using var without = await Master.GetAsync("/v1/admin/tokens");
        using var with = await Master.GetAsync("/v1/admin/tokens?include_revoked=true");

        Assert.DoesNotContain(id, await without.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(id, await with.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task Token_UnknownId_Returns404(string method)
    {
        using var response = await Master.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/admin/tokens/{Guid.NewGuid()}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest, ApiErrorCodes.NotFound);
    }

    [Fact]
    public async Task Request_TokenPastItsExpiry_Refused401()
    {
        var (_, token) = await fixture.CreateTokenAsync("short-lived", [AdminScopes.AuditRead], fixture.Clock.GetUtcNow().AddSeconds(5));
        using var client = fixture.ClientWith(token);
        using var before = await client.GetAsync("/v1/admin/me");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        fixture.Clock.Advance(TimeSpan.FromSeconds(5));
        using var atExpiry = await client.GetAsync("/v1/admin/me");
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        using var after = await client.GetAsync("/v1/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, atExpiry.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        await UsageApiHost.AssertOpenAiErrorAsync(after, ApiErrorTypes.Authentication, ApiErrorCodes.InvalidApiKey);
    }

    [Fact]
    public async Task LastUsedAt_TokenUsed_SetToTheTimeOfUse()
    {
        var (id, token) = await fixture.CreateTokenAsync("used", [AdminScopes.AuditRead]);
        using var unused = await Master.GetAsync($"/v1/admin/tokens/{id}");
        Assert.Equal(JsonValueKind.Null, (await unused.ReadJsonAsync()).GetProperty("last_used_at").ValueKind);
        fixture.Clock.Advance(TimeSpan.FromMinutes(3));
        var usedAt = fixture.Clock.GetUtcNow();

        using (var client = fixture.ClientWith(token))
        {
            (await client.GetAsync("/v1/audit")).Dispose();
        }

        using var used = await Master.GetAsync($"/v1/admin/tokens/{id}");
        Assert.Equal(usedAt, (await used.ReadJsonAsync()).GetProperty("last_used_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Me_MasterKey_NamesTheMasterKeyWithAdmin()
    {
        using var response = await Master.GetAsync("/v1/admin/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.ReadJsonAsync();
        Assert.Equal("admin.identity", me.GetProperty("object").GetString());
        Assert.True(me.GetProperty("active").GetBoolean());
        Assert.Equal("master", me.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("id").ValueKind);
        Assert.Equal(["admin"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, me.GetProperty("expires_at").ValueKind);
    }

    [Fact]
    public async Task Me_Token_NamesTheTokenWithItsScopesAndExpiry()
    {
        var expiresAt = fixture.Clock.GetUtcNow().AddDays(2);
        var (id, token) = await fixture.CreateTokenAsync("who am i", [AdminScopes.LogsRead, AdminScopes.PayloadsRead], expiresAt);
        using var client = fixture.ClientWith(token);

        using var response = await client.GetAsync("/v1/admin/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.ReadJsonAsync();
        Assert.True(me.GetProperty("active").GetBoolean());
        Assert.Equal("token", me.GetProperty("kind").GetString());
        Assert.Equal(id, me.GetProperty("id").GetString());
        Assert.Equal("who am i", me.GetProperty("name").GetString());
        Assert.Equal(["logs:read", "payloads:read"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(expiresAt, me.GetProperty("expires_at").GetDateTimeOffset());
        Assert.DoesNotContain(token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Introspect_ActiveToken_ReturnsItsIdentity()
    {
        var (id, token) = await fixture.CreateTokenAsync("introspected", [AdminScopes.KeysRead]);

        using var response = await Master.PostJsonAsync("/v1/admin/introspect", JsonSerializer.Serialize(new { token }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var identity = await response.ReadJsonAsync();
        Assert.True(identity.GetProperty("active").GetBoolean());
        Assert.Equal("token", identity.GetProperty("kind").GetString());
        Assert.Equal(id, identity.GetProperty("id").GetString());
        Assert.Equal("introspected", identity.GetProperty("name").GetString());
        Assert.Equal(["keys:read"], identity.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    public static TheoryData<string> InactiveCredentials => new()
    {
        "unknown",
        "revoked",
        "expired",
        "malformed",
        "master",
        "empty",
    };

    [Theory]
    [MemberData(nameof(InactiveCredentials))]
    public async Task Introspect_CredentialThatIsNoActiveToken_ReturnsInactiveAndNothingElse(string kind)
    {
        var presented = kind switch
        {
            "unknown" => AdminTokenFormat.Prefix + new string('A', 43),
            "revoked" => await RevokedTokenAsync(),
            "expired" => (await fixture.CreateTokenAsync("expired", [AdminScopes.Admin], fixture.Clock.GetUtcNow().AddTicks(1))).Token,
            "malformed" => "sk-aig-admin-short",
            "master" => UsageApiHost.MasterKey,
            _ => "",
        };
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        using var response = await Master.PostJsonAsync("/v1/admin/introspect", JsonSerializer.Serialize(new { token = presented }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var identity = await response.ReadJsonAsync();
        Assert.False(identity.GetProperty("active").GetBoolean());
        // Nothing about what the credential might be: no kind, name, scopes or id.
        foreach (var property in identity.EnumerateObject().Where(p => p.Name is not ("object" or "active")))
        {
            Assert.Equal(JsonValueKind.Null, property.Value.ValueKind);
        }
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"token": 42}""")]
    [InlineData("[]")]
    public async Task Introspect_NoTokenString_Returns400NamingToken(string body)
    {
        using var response = await Master.PostJsonAsync("/v1/admin/introspect", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("token", (await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.InvalidRequest)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task Create_ByAnAdminToken_RecordsThatTokenAsCreator()
    {
        var (creatorId, creator) = await fixture.CreateTokenAsync("creator", [AdminScopes.Admin]);
        using var client = fixture.ClientWith(creator);

        using var response = await client.PostJsonAsync("/v1/admin/tokens",
            """{"name": "made by a token", "scopes": ["audit:read"], "expires_at": "2099-01-01T00:00:00Z"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var createdBy = (await response.ReadJsonAsync()).GetProperty("created_by");
        Assert.Equal("token", createdBy.GetProperty("kind").GetString());
        Assert.Equal(creatorId, createdBy.GetProperty("id").GetString());
        Assert.Equal("creator", createdBy.GetProperty("name").GetString());
    }

    private async Task<string> RevokedTokenAsync()
    {
        var (id, token) = await fixture.CreateTokenAsync("revoked for introspection", [AdminScopes.Admin]);
        (await Master.DeleteAsync($"/v1/admin/tokens/{id}")).Dispose();
        return token;
    }
}
