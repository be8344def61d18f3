using System.Net;
using System.Net.Http.Json;

namespace AiPlatform.Gateway.Tests.Proxy;

[Collection(InferencePathCollection.Name)]
public sealed class ReplicaRoutingTests(InferencePathFixture platform)
{
    [Fact]
    public async Task Chat_ServiceWithTwoConfiguredReplicas_BothTakeTraffic()
    {
        using var client = platform.CreateGatewayClient();

        var targets = new List<string>();
        // Two choices at random: 20 sequential requests all going to one replica has odds of 2^-19.
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.PostAsync(new Uri("v1/chat/completions", UriKind.Relative),
                JsonContent.Create(new { model = "replicated", messages = new[] { new { role = "user", content = "which replica" } } }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            targets.Add(response.Headers.GetValues("aig-target").Single());
        }

        string[] replicas = [$"replicas@{platform.FastWorkerUrl.Authority}", $"replicas@{platform.SlowWorkerUrl.Authority}"];
        Assert.Equal(replicas.Order(), targets.Distinct().Order());
    }
}
