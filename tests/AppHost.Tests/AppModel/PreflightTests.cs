using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;

namespace AiPlatform.AppHost.Tests.AppModel;

/// <summary>The check before anything starts, on the real app model started by Aspire's testing builder.</summary>
public sealed class PreflightTests
{
    [Fact]
    public async Task Start_GatewayPortTakenAndBadReplicaCount_StopsBeforeAnythingStartsNamingBothFixes()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var model = await TestApplication.ModelAsync("--gateway-port", $"{port}", "--inference-replicas", "many");
        await using var app = await model.BuildAsync();

        var thrown = await Record.ExceptionAsync(() => app.StartAsync().WaitAsync(TimeSpan.FromMinutes(1)));

        var error = Assert.IsType<DistributedApplicationException>(thrown is AggregateException { InnerException: { } inner } ? inner : thrown);
        Assert.Contains("The platform cannot start:", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Port {port} for gateway is already in use", error.Message, StringComparison.Ordinal);
        Assert.Contains("--gateway-port <port> (or AIPLATFORM_GATEWAY_PORT)", error.Message, StringComparison.Ordinal);
        Assert.Contains("--inference-replicas (or AIPLATFORM_INFERENCE_REPLICAS) is 'many'", error.Message, StringComparison.Ordinal);
    }
}
