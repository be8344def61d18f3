using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.SignIn;
using AiPlatform.Dashboard.Tests.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.Dashboard.Tests.Admin;

/// <summary>
/// Every admin call carries the signed-in person's own credential; whatever goes wrong becomes an
/// <see cref="AdminApiException"/> with a message a person can read, never another exception that would end the circuit.
/// </summary>
public sealed class AdminHttpTests
{
    private const string Credential = "aig-master-0123456789abcdef";

    [Fact]
    public async Task Send_SignedIn_TheCredentialAsBearerAndTheBodyInSnakeCase()
    {
        var services = new FakeServices().On(_ => true, _ => FakeServices.Json(new { model = "sim", input_per_million_usd = 0.15m, output_per_million_usd = 0.6m }));

        var price = await Http(services).SendAsync<ModelPrice>(AdminApi.HttpClientName, "UsageApi", HttpMethod.Put, "/v1/prices/sim",
            new JsonObject { ["input_per_million_usd"] = 0.15m, ["output_per_million_usd"] = 0.6m }, CancellationToken.None);

        Assert.Equal(new ModelPrice("sim", 0.15m, 0.6m), price);
        var sent = Assert.Single(services.Sent);
        Assert.Equal($"Bearer {Credential}", sent.Authorization);
        Assert.Equal(new Uri("http://usageapi.test/v1/prices/sim"), sent.Uri);
        Assert.Equal("""{"input_per_million_usd":0.15,"output_per_million_usd":0.6}""", FakeServices.Canonical(sent.Body));
    }

    [Fact]
    public async Task Send_SignedOut_RefusedWithoutCalling()
    {
        var services = new FakeServices();

        var error = await Assert.ThrowsAsync<AdminApiException>(() =>
            Http(services, signedIn: false).SendAsync<ModelPrice>(AdminApi.HttpClientName, "UsageApi", HttpMethod.Get, "/v1/prices", null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Equal("You are signed out. Sign in again.", error.Message);
        Assert.Empty(services.Sent);
    }

    [Fact]
    public async Task Send_OpenAiShapedRefusal_ItsMessageAndParam()
    {
        var services = new FakeServices().On(_ => true, _ => FakeServices.Error(HttpStatusCode.BadRequest, "Invalid value for 'rpm': must be positive.", "rpm"));

        var error = await Assert.ThrowsAsync<AdminApiException>(() => Send(services));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("Invalid value for 'rpm': must be positive.", error.Message);
        Assert.Equal("rpm", error.Param);
    }

    [Theory]
    [InlineData("<html><body>Bad gateway</body></html>")]
    [InlineData("""{"detail":"not OpenAI's shape"}""")]
    [InlineData("""{"error":{"message":42}}""")]
    [InlineData("")]
    public async Task Send_RefusalNotInOpenAisShape_TheStatus(string body)
    {
        var services = new FakeServices().On(_ => true, _ => FakeServices.Text(body, HttpStatusCode.BadGateway));

        var error = await Assert.ThrowsAsync<AdminApiException>(() => Send(services));

        Assert.Equal(HttpStatusCode.BadGateway, error.Status);
        Assert.Equal("The admin API answered 502 Bad Gateway.", error.Message);
    }

    [Fact]
    public async Task Send_ServiceDown_SaysWhichCannotBeReached()
    {
        var services = new FakeServices().On(_ => true, (SentRequest _) => Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused")));

        var error = await Assert.ThrowsAsync<AdminApiException>(() =>
            Http(services).SendAsync<ModelPrice>(AdminApi.HttpClientName, "The Gateway", HttpMethod.Get, "/v1/admin/backends", null, CancellationToken.None));

        Assert.Null(error.Status);
        Assert.Equal("The Gateway cannot be reached. Is it running?", error.Message);
    }

    [Fact]
    public async Task Send_EmptyJsonAnswer_SaysSo()
    {
        var services = new FakeServices().On(_ => true, _ => FakeServices.Text("null"));

        var error = await Assert.ThrowsAsync<AdminApiException>(() => Send(services));

        Assert.Equal("UsageApi answered with an empty body.", error.Message);
    }

    /// <summary>
    /// A 200 that is not JSON (a proxy's page, another service at the configured address) is shown as an error like
    /// any other; a <see cref="System.Text.Json.JsonException"/> would escape the page's error handling and end the
    /// person's circuit.
    /// </summary>
    [Theory]
    [InlineData("<!DOCTYPE html><html><body>Sign in</body></html>")]
    [InlineData("""{"model": 42}""")]
    public async Task Send_AnswerThatIsNotTheExpectedJson_AnAdminApiException(string body)
    {
        var services = new FakeServices().On(_ => true, _ => FakeServices.Text(body));

        var error = await Assert.ThrowsAsync<AdminApiException>(() => Send(services));

        Assert.Equal(HttpStatusCode.OK, error.Status);
    }

    private static Task<ModelPrice> Send(FakeServices services) =>
        Http(services).SendAsync<ModelPrice>(AdminApi.HttpClientName, "UsageApi", HttpMethod.Get, "/v1/prices/sim", null, CancellationToken.None);

    private static AdminHttp Http(FakeServices services, bool signedIn = true)
    {
        var provider = new ServiceCollection()
            .AddHttpClient(AdminApi.HttpClientName, client => client.BaseAddress = DashboardCircuit.UsageApi)
            .ConfigurePrimaryHttpMessageHandler(() => services)
            .Services.BuildServiceProvider();
        return new AdminHttp(provider.GetRequiredService<IHttpClientFactory>(), new SignedIn(signedIn), new ForwardedClient(new ConfigurationBuilder().Build()));
    }

    private sealed class SignedIn(bool signedIn) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(signedIn
                ? new ClaimsPrincipal(new ClaimsIdentity([new Claim(AdminCredential.ClaimType, Credential)], "Cookies"))
                : new ClaimsPrincipal(new ClaimsIdentity())));
    }
}
