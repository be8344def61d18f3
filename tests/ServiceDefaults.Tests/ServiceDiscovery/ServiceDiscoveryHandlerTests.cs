using AiPlatform.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.Configuration;

namespace AiPlatform.ServiceDefaults.Tests.ServiceDiscovery;

public sealed class ServiceDiscoveryHandlerTests
{
    private static HttpClient Client(RecordingHandler recorder) =>
        new(new ServiceDiscoveryHandler(new ServiceEndpointResolver(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["services:inference:http:0"] = "http://127.0.0.1:8082",
                ["services:inference:http:1"] = "http://127.0.0.1:8083",
            })
            .Build()))
        { InnerHandler = recorder });

    [Fact]
    public async Task Send_LogicalAddress_RewritesToConfiguredEndpointsRoundRobin()
    {
        var recorder = new RecordingHandler();
        using var client = Client(recorder);

        for (var i = 0; i < 4; i++)
        {
            using var _ = await client.GetAsync(new Uri("http://inference/v1/models?x=1"));
        }

        Assert.Equal(
            ["http://127.0.0.1:8083/v1/models?x=1", "http://127.0.0.1:8082/v1/models?x=1", "http://127.0.0.1:8083/v1/models?x=1", "http://127.0.0.1:8082/v1/models?x=1"],
            recorder.Seen.Select(u => u.ToString()));
    }

    [Fact]
    public async Task Send_HostNotAService_PassesUnchanged()
    {
        var recorder = new RecordingHandler();
        using var client = Client(recorder);

        using var _ = await client.GetAsync(new Uri("http://127.0.0.1:9999/health"));

        Assert.Equal(new Uri("http://127.0.0.1:9999/health"), Assert.Single(recorder.Seen));
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
