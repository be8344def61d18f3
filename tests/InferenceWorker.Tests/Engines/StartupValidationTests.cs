using AiPlatform.InferenceWorker.Admission;
using AiPlatform.InferenceWorker.Announcement;
using AiPlatform.InferenceWorker.Engines;
using AiPlatform.InferenceWorker.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AiPlatform.InferenceWorker.Tests.Engines;

/// <summary>
/// The worker's options fail fast at start, naming the configuration key. Driven on a plain host with the worker's
/// own registrations: a WebApplicationFactory whose app fails to start does not always surface the first exception.
/// </summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Inference:Engine", "vllm", "Inference:Vllm:BaseUrl")]
    [InlineData("Inference:Engine", "tgi", "Inference:Engine")]
    [InlineData("Inference:Simulator:Fault", "404", "Inference:Simulator:Fault")]
    [InlineData("Inference:Simulator:MaxConcurrentSequences", "0", "Inference:Simulator:MaxConcurrentSequences")]
    [InlineData("Inference:Admission:MaxRunning", "0", "Inference:Admission:MaxRunning")]
    [InlineData("Inference:Announce:Ttl", "00:00:02", "Inference:Announce:Ttl must be more than twice Inference:Announce:Interval")]
    [InlineData("Inference:Announce:Interval", "00:00:00", "Inference:Announce:Interval")]
    [InlineData("Inference:Announce:Address", "inference-0:8082", "Inference:Announce:Address")]
    [InlineData("Inference:Announce:Id", "two words", "Inference:Announce:Id")]
    public async Task Start_InvalidConfiguration_FailsNamingTheKey(string key, string value, string named)
    {
        using var host = Build(new Dictionary<string, string?> { [key] = value });

        var exception = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains(named, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_VllmWithBaseUrl_Starts()
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["Inference:Engine"] = "VLLM",
            ["Inference:Vllm:BaseUrl"] = "http://gpu-host:8000",
        });

        await host.StartAsync();
        await host.StopAsync();
    }

    /// <summary>A plain host with the worker's own registrations and <paramref name="settings"/>, not started.</summary>
    internal static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWorkerMetrics();
        builder.AddInferenceEngines();
        builder.AddAdmissionControl();
        builder.AddWorkerAnnouncement();
        // As AddBasicServiceDefaults does; the announcer needs it at start.
        builder.Services.AddSingleton(TimeProvider.System);
        return builder.Build();
    }
}
