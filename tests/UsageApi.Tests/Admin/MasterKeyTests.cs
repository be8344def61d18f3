using System.Net;
using System.Net.Http.Headers;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.UsageApi.Tests.Admin;

public sealed class MasterKeyTests(PostgresServer postgres, RedisServer redis)
    : IClassFixture<PostgresServer>, IClassFixture<RedisServer>, IAsyncLifetime
{
    private WebApplicationFactory<Program> _usageApi = null!;

    public async Task InitializeAsync() => _usageApi = UsageApiHost.Create(await postgres.CreateDatabaseAsync(), redis);

    public async Task DisposeAsync() => await _usageApi.DisposeAsync();

    public static TheoryData<string, string> AdminEndpoints => new()
    {
        { "POST", "/v1/keys" },
        { "GET", "/v1/keys" },
        { "GET", $"/v1/keys/{Guid.NewGuid()}" },
        { "PATCH", $"/v1/keys/{Guid.NewGuid()}" },
        { "DELETE", $"/v1/keys/{Guid.NewGuid()}" },
        { "GET", $"/v1/keys/lookup/{new string('a', 64)}" },
    };

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task Request_NoAuthorization_Returns401InvalidApiKey(string method, string path)
    {
        using var client = _usageApi.CreateClient();

        using var response = await client.SendAsync(Request(method, path));

        await AssertUnauthorizedAsync(response);
    }

    [Theory]
    [InlineData("Bearer sk-aig-master-wrong")]
    [InlineData("Bearer sk-aig-master-tes")]
    [InlineData("Bearer sk-aig-master-test2")]
    [InlineData("Bearer ")]
    [InlineData("Basic sk-aig-master-test")]
    [InlineData("sk-aig-master-test")]
    [InlineData("Bearersk-aig-master-test")]
    public async Task Request_WrongCredentials_Returns401InvalidApiKey(string authorization)
    {
        using var client = _usageApi.CreateClient();
        var request = Request("POST", "/v1/keys");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await client.SendAsync(request);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Request_MasterKeyAnyCaseScheme_Accepted()
    {
        using var client = _usageApi.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", UsageApiHost.MasterKey);

        using var response = await client.GetAsync("/v1/keys");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Start_MasterKeyNotSet_FailsNamingTheSetting(string masterKey)
    {
        await using var usageApi = UsageApiHost.Create(await postgres.CreateDatabaseAsync(), redis, masterKey);

        var error = Record.Exception(() => usageApi.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("AIPLATFORM_MASTER_KEY is not set", error.ToString(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method is "POST" or "PATCH" ? UsageApiHost.Json("""{"name": "x"}""") : null };

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        var error = await UsageApiHost.AssertOpenAiErrorAsync(response, ApiErrorTypes.Authentication, ApiErrorCodes.InvalidApiKey);
        Assert.DoesNotContain("sk-aig-master-test", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
