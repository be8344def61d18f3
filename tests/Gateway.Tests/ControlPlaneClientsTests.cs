using System.Net;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Usage;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.Gateway.Tests;

/// <summary>
/// The Gateway's clients of UsageApi, as the Gateway registers them: the service defaults resolve
/// <c>http://usageapi</c> through <c>services__usageapi__http__0</c>, and neither client gets the defaults'
/// retries (the key lookup fails fast on the request path; the shipper parks and replays batches itself).
/// </summary>
public sealed class ControlPlaneClientsTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private WebApplication _usageApi = null!;
    private WebApplicationFactory<Program> _gateway = null!;
    private int _requests;

    public async Task InitializeAsync()
    {
        // A UsageApi that is up but failing: every call is answered 503.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _usageApi = builder.Build();
        _usageApi.Run(context =>
        {
            Interlocked.Increment(ref _requests);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        await _usageApi.StartAsync();

        _gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:cache", redis.ConnectionString)
            .UseSetting("services:usageapi:http:0", _usageApi.Urls.Single())
            .UseSetting("Gateway:Usage:Enabled", "false"));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _usageApi.DisposeAsync();
    }

    [Fact]
    public async Task KeyLookup_UsageApiAnswers503_AskedOnceThenFails()
    {
        var client = _gateway.Services.GetRequiredService<UsageApiKeyClient>();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.LookupAsync("0123abcd", CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(1, Volatile.Read(ref _requests));
    }

    [Fact]
    public async Task UsageShipment_UsageApiAnswers503_SentOnceAndLeftToRetry()
    {
        var client = _gateway.Services.GetRequiredService<UsageApiClient>();

        var result = await client.SendAsync("[]"u8.ToArray(), CancellationToken.None);

        Assert.Equal(DeliveryResult.Retry, result);
        Assert.Equal(1, Volatile.Read(ref _requests));
    }
}
