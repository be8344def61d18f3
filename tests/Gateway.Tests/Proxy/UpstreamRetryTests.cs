using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Tests.Auth;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.Gateway.Tests.Proxy;

/// <summary>
/// The forwarding client is the Gateway's own (no handlers from the service defaults): an upstream error is retried by
/// the Gateway's own policy only, as many times as the request's attempts allow, then passed on.
/// </summary>
public sealed class UpstreamRetryTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Theory]
    [InlineData(null, 3)]
    [InlineData("1", 1)]
    [InlineData("2", 2)]
    public async Task Forward_UpstreamAnswers503_SentAsManyTimesAsTheAttemptsAllowThenPassedOn(string? maxAttempts, int expectedRequests)
    {
        var requests = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var upstream = builder.Build();
        upstream.MapPost("/v1/chat/completions", () =>
        {
            Interlocked.Increment(ref requests);
            return Results.Json(new { error = new { message = "overloaded", type = "server_error" } }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        await upstream.StartAsync();
        var key = await TestKeys.SeedAsync(redis.ConnectionString, new KeyRecord { Id = $"key-upstream-retry-{expectedRequests}", Name = "upstream retry" });
        await using var gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:cache", redis.ConnectionString)
            .UseSetting("Gateway:Cache:Enabled", "false")
            .UseSetting("Gateway:Usage:Enabled", "false")
            .UseSetting("Gateway:Models:0:Name", "busy")
            .UseSetting("Gateway:Models:0:Targets:0:BaseUrl", upstream.Urls.Single() + "/v1"));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "busy", messages = new[] { new { role = "user", content = "hi" } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (maxAttempts is not null)
        {
            request.Headers.Add("aig-max-attempts", maxAttempts);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(expectedRequests, Volatile.Read(ref requests));
        Assert.Equal(expectedRequests.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("aig-attempts").Single());
    }
}
