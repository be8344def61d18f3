using System.Net;
using System.Net.Sockets;
using AiPlatform.AppHost.Hosting;

namespace AiPlatform.AppHost.Tests.Hosting;

public class PortCheckTests
{
    [Fact]
    public void IsInUse_SomethingListens_ReturnsTrue()
    {
        using var listener = Listen(out var port);

        Assert.True(PortCheck.IsInUse(port));
    }

    [Fact]
    public void IsInUse_NothingListens_ReturnsFalse()
    {
        int port;
        using (Listen(out port))
        {
        }

        Assert.False(PortCheck.IsInUse(port));
    }

    [Fact]
    public void FindProblems_PortInUse_NamesPortResourceAndTheOptionThatChangesIt()
    {
        using var listener = Listen(out var port);
        var claims = new[] { Setting("gateway", port) };

        var problem = Assert.Single(PortCheck.FindProblems(claims, PortCheck.IsInUse));

        Assert.Contains($"Port {port} for gateway is already in use", problem, StringComparison.Ordinal);
        Assert.Contains("--gateway-port <port>", problem, StringComparison.Ordinal);
        Assert.Contains("AIPLATFORM_GATEWAY_PORT", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FindProblems_TwoResourcesOnOnePort_NamesBothOptions()
    {
        var claims = new[] { Setting("usageapi", 8081), Setting("inference", 8081) with { Resource = "inference-1" } };

        var problem = Assert.Single(PortCheck.FindProblems(claims, _ => false));

        Assert.Equal(
            "Port 8081 is wanted by both usageapi and inference-1. Give one of them another port with --usageapi-port or --inference-port.",
            problem);
    }

    [Fact]
    public void FindProblems_ReplicaPastTheLastPort_IsReported()
    {
        var problem = Assert.Single(PortCheck.FindProblems([Setting("inference", 65536) with { Resource = "inference-1" }], _ => false));

        Assert.Contains("--inference-port", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void PortsInUse_TwoReplicasAndExternalRedis_ClaimsEveryReplicaButNoExternalServer()
    {
        var options = TestApplication.Options("--inference-replicas", "2");

        var claims = options.PortsInUse(localRedis: false, localPostgres: true).Select(c => (c.Port, c.Resource)).ToList();

        Assert.Equal(
            [(8080, "gateway"), (8081, "usageapi"), (8088, "dashboard"), (8082, "inference-0"), (8083, "inference-1"), (5433, "postgres")],
            claims);
    }

    private static PortSetting Setting(string resource, int port) =>
        new(resource, $"--{resource}-port", $"AIPLATFORM_{resource.ToUpperInvariant()}_PORT", port);

    private static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
