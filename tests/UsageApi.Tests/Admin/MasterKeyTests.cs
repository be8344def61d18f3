using System.Net;
using System.Net.Http.Headers;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Admin;
using AiPlatform.UsageApi.Tests.AdminAccess;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace AiPlatform.UsageApi.Tests.Admin;

// One UsageApi for all: these tests change nothing.
[Collection(AdminAccessCollection.Name)]
public sealed class MasterKeyTests(AdminAccessFixture fixture)
{
    private WebApplicationFactory<Program> UsageApi => fixture.UsageApi;

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
        using var client = UsageApi.CreateClient();

        using var response = await client.SendAsync(Request(method, path));

        await AssertUnauthorizedAsync(response);
    }

    /// <summary>Near misses of the master key among them: a prefix, one character more, another scheme, no scheme.</summary>
    public static TheoryData<string> WrongCredentials => new()
    {
        "Bearer sk-aig-master-wrong",
        "Bearer " + UsageApiHost.MasterKey[..^1],
        "Bearer " + UsageApiHost.MasterKey + "2",
        "Bearer " + UsageApiHost.MasterKey.ToUpperInvariant(),
        "Bearer ",
        "Basic " + UsageApiHost.MasterKey,
        UsageApiHost.MasterKey,
        "Bearer" + UsageApiHost.MasterKey,
    };

    [Theory]
    [MemberData(nameof(WrongCredentials))]
    public async Task Request_WrongCredentials_Returns401InvalidApiKey(string authorization)
    {
        using var client = UsageApi.CreateClient();
        var request = Request("POST", "/v1/keys");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await client.SendAsync(request);

        await AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Request_MasterKeyAnyCaseScheme_Accepted()
    {
        using var client = UsageApi.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", UsageApiHost.MasterKey);

        using var response = await client.GetAsync("/v1/keys");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // A plain host rather than WebApplicationFactory: when the app's own start fails, the factory may touch the host the
    // app has already disposed and report that ObjectDisposedException instead of the failure.
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Start_MasterKeyNotSet_FailsNamingTheSetting(string masterKey)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["AIPLATFORM_MASTER_KEY"] = masterKey;
        builder.AddAdminApi();
        using var host = builder.Build();

        var error = await Record.ExceptionAsync(() => host.StartAsync());

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
        Assert.DoesNotContain(UsageApiHost.MasterKey[..16], error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
