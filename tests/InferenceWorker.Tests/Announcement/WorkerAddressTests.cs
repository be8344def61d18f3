using System.Text.RegularExpressions;
using AiPlatform.InferenceWorker.Announcement;

namespace AiPlatform.InferenceWorker.Tests.Announcement;

public sealed class WorkerAddressTests
{
    [Theory]
    [InlineData("http://+:8082")]
    [InlineData("http://*:8082")]
    [InlineData("http://0.0.0.0:8082")]
    [InlineData("http://[::]:8082")]
    public void Choose_WildcardHost_AnnouncesLocalhost(string listening)
    {
        Assert.Equal("http://localhost:8082/", WorkerAddress.Choose(null, [listening]));
    }

    [Fact]
    public void Choose_HttpsAndHttp_PrefersHttpAndKeepsTheHost()
    {
        Assert.Equal("http://10.0.0.5:8082/", WorkerAddress.Choose(null, ["https://10.0.0.5:8443", "http://10.0.0.5:8082"]));
    }

    [Fact]
    public void Choose_HttpsOnly_AnnouncesHttps()
    {
        Assert.Equal("https://localhost:8443/", WorkerAddress.Choose(" ", ["https://[::]:8443"]));
    }

    [Theory]
    [InlineData("http://inference-0:8082", "http://inference-0:8082/")]
    [InlineData(" http://inference-0:8082/ ", "http://inference-0:8082/")]
    public void Choose_Configured_WinsOverTheListeningAddressAndEndsInSlash(string configured, string announced)
    {
        Assert.Equal(announced, WorkerAddress.Choose(configured, ["http://127.0.0.1:5000"]));
    }

    [Fact]
    public void Choose_NoTcpAddress_ReturnsNull()
    {
        Assert.Null(WorkerAddress.Choose(null, []));
        Assert.Null(WorkerAddress.Choose(null, ["http://unix:/run/worker.sock"]));
    }

    [Fact]
    public void DefaultId_TwoProcessesOnOnePort_MachinePortAndDifferentRandomHex()
    {
        var first = WorkerAddress.DefaultId("http://localhost:8082/");
        var second = WorkerAddress.DefaultId("http://localhost:8082/");

        Assert.Matches($"^{Regex.Escape(Environment.MachineName)}-8082-[0-9a-f]{{8}}$", first);
        Assert.NotEqual(first, second);
    }
}
