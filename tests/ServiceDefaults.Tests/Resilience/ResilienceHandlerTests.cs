using System.Net;
using AiPlatform.ServiceDefaults.Resilience;

namespace AiPlatform.ServiceDefaults.Tests.Resilience;

public sealed class ResilienceHandlerTests
{
    [Fact]
    public async Task Send_GetAnsweredWith503ThenOk_RetriesAndReturnsOk()
    {
        var upstream = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var client = new HttpClient(new ResilienceHandler(ResilienceExtensions.CreateStandardPipeline()) { InnerHandler = upstream });

        using var response = await client.GetAsync(new Uri("http://127.0.0.1/x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task Send_PostAnsweredWith503_IsNotRetried()
    {
        var upstream = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var client = new HttpClient(new ResilienceHandler(ResilienceExtensions.CreateStandardPipeline()) { InnerHandler = upstream });

        using var response = await client.PostAsync(new Uri("http://127.0.0.1/x"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, upstream.Calls);
    }

    [Fact]
    public async Task Send_GetAnsweredWith404_IsNotRetried()
    {
        var upstream = new ScriptedHandler(HttpStatusCode.NotFound, HttpStatusCode.OK);
        using var client = new HttpClient(new ResilienceHandler(ResilienceExtensions.CreateStandardPipeline()) { InnerHandler = upstream });

        using var response = await client.GetAsync(new Uri("http://127.0.0.1/x"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, upstream.Calls);
    }

    private sealed class ScriptedHandler(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var status = answers[Math.Min(Calls, answers.Length - 1)];
            Calls++;
            return Task.FromResult(new HttpResponseMessage(status));
        }
    }
}
