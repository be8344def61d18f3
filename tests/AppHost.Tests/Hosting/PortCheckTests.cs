using System.Net;
using System.Net.Sockets;
using AiPlatform.AppHost.Configuration;
using AiPlatform.AppHost.Orchestration.Preflight;

namespace AiPlatform.AppHost.Tests.Orchestration.Preflight;

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
        var claims = new[] { new PortClaim(port, "gateway", PortOptions.Gateway) };

        var problem = Assert.Single(PortCheck.FindProblems(claims, PortCheck.IsInUse));

        Assert.Contains($"Port {port} for gateway is already in use", problem, StringComparison.Ordinal);
        Assert.Contains("--gateway-port <port>", problem, StringComparison.Ordinal);
        Assert.Contains("AIPLATFORM_GATEWAY_PORT", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FindProblems_TwoResourcesOnOnePort_NamesBothOptions()
    {
        var claims = new[] { new PortClaim(8081, "usageapi", PortOptions.UsageApi), new PortClaim(8081, "inference-1", PortOptions.Inference) };

        var problem = Assert.Single(PortCheck.FindProblems(claims, _ => false));

        Assert.Equal(
            "Port 8081 is wanted by both usageapi and inference-1. Give one of them another port with --usageapi-port or --inference-port.",
            problem);
    }

    [Fact]
    public void FindProblems_ReplicaPastTheLastPort_IsReported()
    {
        var problem = Assert.Single(PortCheck.FindProblems([new PortClaim(65536, "inference-1", PortOptions.Inference)], _ => false));

        Assert.Contains("--inference-port", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ClaimsOf_PlatformWiring_ClaimsEveryReplicaButNoExternalServer()
    {
        var application = TestApplication.Build(
            ["--inference-replicas", "2"],
            new() { ["ConnectionStrings__cache"] = "redis.internal:6379" });

        var claims = PortCheck.ClaimsOf(application.Resources).Select(c => (c.Port, c.Resource)).ToList();

        Assert.Equal(
            [(5433, "pg"), (8081, "usageapi"), (8082, "inference-0"), (8083, "inference-1"), (8080, "gateway"), (8088, "dashboard")],
            claims);
    }

    private static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
