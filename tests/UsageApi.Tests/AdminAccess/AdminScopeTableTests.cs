using System.Net;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Tests.Ledger;

namespace AiPlatform.UsageApi.Tests.AdminAccess;

/// <summary>
/// Every admin endpoint of UsageApi against a token of every single scope: refused with 403 <c>insufficient_scope</c>
/// exactly when that scope does not open it. The table below is written out by hand, on purpose not computed with
/// <see cref="AdminScopes.Grants"/>, so that a wrong rule there shows here.
/// </summary>
[Collection(AdminAccessCollection.Name)]
public sealed class AdminScopeTableTests(AdminAccessFixture fixture)
{
    private const string KeysRead = AdminScopes.KeysRead;
    private const string KeysWrite = AdminScopes.KeysWrite;
    private const string Admin = AdminScopes.Admin;

    // Fixed, not new per run: the theory's cases are named by it.
    private const string SomeId = "0190a3c4-0000-7000-8000-00000000beef";

    /// <summary>Method and path, a body that the handler refuses (so that an allowed call changes nothing), and what opens it.</summary>
    private static readonly Dictionary<string, (string? Body, string[] OpenedBy)> s_endpoints = new(StringComparer.Ordinal)
    {
        ["POST /v1/keys"] = ("{}", [KeysWrite, Admin]),
        ["GET /v1/keys"] = (null, [KeysRead, KeysWrite, Admin]),
        [$"GET /v1/keys/{SomeId}"] = (null, [KeysRead, KeysWrite, Admin]),
        [$"PATCH /v1/keys/{SomeId}"] = ("{}", [KeysWrite, Admin]),
        [$"DELETE /v1/keys/{SomeId}"] = (null, [KeysWrite, Admin]),
        [$"GET /v1/keys/lookup/{new string('a', 64)}"] = (null, [Admin]),
        [$"GET /v1/keys/{SomeId}/spend"] = (null, [KeysRead, KeysWrite, Admin]),
        ["GET /v1/prices"] = (null, [AdminScopes.AnalyticsRead, AdminScopes.PricesWrite, Admin]),
        ["GET /v1/prices/scope-table/model"] = (null, [AdminScopes.AnalyticsRead, AdminScopes.PricesWrite, Admin]),
        ["PUT /v1/prices/scope-table/model"] = ("{}", [AdminScopes.PricesWrite, Admin]),
        ["DELETE /v1/prices/scope-table/model"] = (null, [AdminScopes.PricesWrite, Admin]),
        ["GET /v1/usage/records"] = (null, [AdminScopes.LogsRead, Admin]),
        ["GET /v1/usage/records/scope-table-none"] = (null, [AdminScopes.LogsRead, Admin]),
        ["GET /v1/usage/summary"] = (null, [AdminScopes.AnalyticsRead, Admin]),
        ["GET /v1/usage/timeseries"] = (null, [AdminScopes.AnalyticsRead, Admin]),
        ["POST /v1/usage/events"] = ("{}", [Admin]),
        ["GET /v1/audit"] = (null, [AdminScopes.AuditRead, Admin]),
        ["POST /v1/admin/tokens"] = ("{}", [Admin]),
        ["GET /v1/admin/tokens"] = (null, [Admin]),
        [$"GET /v1/admin/tokens/{SomeId}"] = (null, [Admin]),
        [$"DELETE /v1/admin/tokens/{SomeId}"] = (null, [Admin]),
        ["GET /v1/admin/me"] = (null, [.. AdminScopes.All]),
        ["POST /v1/admin/introspect"] = ("{}", [Admin]),
        ["GET /metrics"] = (null, [AdminScopes.AnalyticsRead, Admin]),
    };

    private static readonly string[] s_scopes =
        ["analytics:read", "logs:read", "payloads:read", "keys:read", "keys:write", "prices:write", "audit:read", "admin"];

    public static TheoryData<string, string> EndpointsTimesScopes()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in s_endpoints.Keys)
        {
            foreach (var scope in s_scopes)
            {
                data.Add(endpoint, scope);
            }
        }

        return data;
    }

    public static TheoryData<string> Endpoints() => [.. s_endpoints.Keys];

    [Fact]
    public void Scopes_TableNamesEveryScope_NoneForgotten() =>
        Assert.Equal(AdminScopes.All.Order(StringComparer.Ordinal), s_scopes.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(EndpointsTimesScopes))]
    public async Task Request_TokenWithOneScope_ForbiddenExactlyWhenTheScopeDoesNotOpenTheEndpoint(string endpoint, string scope)
    {
        var token = await fixture.TokenWithOnlyAsync(scope);
        using var client = fixture.ClientWith(token);

        using var response = await client.SendAsync(Request(endpoint));

        if (s_endpoints[endpoint].OpenedBy.Contains(scope))
        {
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                $"{endpoint} with '{scope}' answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.Permission, ApiErrorCodes.InsufficientScope);
            Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
            // It says what would open the endpoint, and never the token.
            var message = error.GetProperty("message").GetString()!;
            Assert.Contains(s_endpoints[endpoint].OpenedBy[0], message, StringComparison.Ordinal);
            Assert.DoesNotContain(token, message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Request_MasterKey_NeitherUnauthorizedNorForbidden(string endpoint)
    {
        using var response = await fixture.Master.SendAsync(Request(endpoint));

        Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
            $"{endpoint} with the master key answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task CreateKey_KeysReadToken_Returns403AndCreatesNoKey()
    {
        using var client = fixture.ClientWith(await fixture.TokenWithOnlyAsync(KeysRead));

        using var response = await client.PostJsonAsync("/v1/keys", """{"name": "scope-table refused"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var list = await fixture.Master.GetAsync("/v1/keys?include_revoked=true");
        Assert.DoesNotContain("scope-table refused", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateKey_KeysWriteToken_Created()
    {
        using var client = fixture.ClientWith(await fixture.TokenWithOnlyAsync(KeysWrite));

        using var response = await client.PostJsonAsync("/v1/keys", """{"name": "scope-table made by keys:write"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Request_TokenWithTwoScopes_OpensWhatEitherOpens()
    {
        var (_, token) = await fixture.CreateTokenAsync("two scopes", [AdminScopes.AuditRead, AdminScopes.LogsRead]);
        using var client = fixture.ClientWith(token);

        using var audit = await client.GetAsync("/v1/audit");
        using var records = await client.GetAsync("/v1/usage/records");
        using var keys = await client.GetAsync("/v1/keys");

        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, records.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, keys.StatusCode);
    }

    [Theory]
    [InlineData(new[] { AdminScopes.LogsRead }, false)]
    [InlineData(new[] { AdminScopes.LogsRead, AdminScopes.PayloadsRead }, true)]
    [InlineData(new[] { AdminScopes.Admin }, true)]
    public async Task GetRecord_WithOrWithoutPayloadsRead_PayloadShownOnlyWithIt(string[] scopes, bool payloadShown)
    {
        var requestId = "scope-payload-" + Guid.NewGuid().ToString("N");
        var (keyId, _, _) = await fixture.Master.CreateKeyAsync("""{"name": "payloads logged", "log_payloads": true}""");
        await fixture.Master.IngestAsync(new TestEvent
        {
            RequestId = requestId, Timestamp = fixture.Clock.GetUtcNow(), KeyId = keyId, Payload = new TestPayload("""{"secret": "payload-marker-7f3a"}""", "answer"),
        });
        var (_, token) = await fixture.CreateTokenAsync("payload reader", scopes);
        using var client = fixture.ClientWith(token);

        using var response = await client.GetAsync($"/v1/usage/records/{requestId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payload = (await response.ReadJsonAsync()).GetProperty("payload");
        Assert.Equal(payloadShown ? JsonValueKind.Object : JsonValueKind.Null, payload.ValueKind);
        Assert.Equal(payloadShown, (await response.Content.ReadAsStringAsync()).Contains("payload-marker-7f3a", StringComparison.Ordinal));
    }

    private static HttpRequestMessage Request(string endpoint)
    {
        var (method, path) = (endpoint[..endpoint.IndexOf(' ', StringComparison.Ordinal)], endpoint[(endpoint.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        var body = s_endpoints[endpoint].Body;
        return new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : UsageApiHost.Json(body) };
    }
}
