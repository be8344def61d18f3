using System.Net;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.Gateway.Tests;

public sealed class HealthTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private WebApplicationFactory<Program> CreateGateway() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:cache", redis.ConnectionString));

    [Fact]
    public async Task Health_RedisAnswers_Returns200()
    {
        await using var gateway = CreateGateway();
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_RedisStopped_Returns503UntilRedisIsBack()
    {
        await using var gateway = CreateGateway();
        using var client = gateway.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);

        await redis.StopAsync();
        try
        {
            using var down = await client.GetAsync(new Uri("/health", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());

            using var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }
        finally
        {
            await redis.StartAsync();
        }

        // The multiplexer reconnects in the background; health follows within a few seconds.
        await Eventually.TrueAsync(async () =>
            (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            TestTimeouts.Default);
    }
}
