using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.InferenceWorker.Tests;

public sealed class HealthTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Probe_WorkerRunning_Returns200Healthy(string path)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownPath_Returns404InOpenAIShape()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/v1/unknown", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"type\":\"invalid_request_error\"", await response.Content.ReadAsStringAsync());
    }
}
