using System.Net;
using System.Text.Json;
using AiPlatform.Gateway.Tests.Support;
using AiPlatform.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.Gateway.Tests.Routing;

/// <summary>
/// The model table follows the file <c>Gateway:ModelsFile</c> names (a mounted config map) while the Gateway runs: a
/// valid change is served within seconds, without a restart; a broken one is refused and the last good table stays.
/// </summary>
public sealed class LiveModelsFileTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    /// <summary>The JSON provider waits 250 ms after a change before reading; the rest is the refresher and a loaded machine.</summary>
    private static readonly TimeSpan s_reload = TimeSpan.FromSeconds(15);

    /// <summary>The <c>ConfigurationRefused</c> log event (RoutingLog).</summary>
    private const int ConfigurationRefused = 8003;

    private readonly string _directory = Directory.CreateTempSubdirectory("aiplatform-models-").FullName;

    private string ModelsFile => Path.Combine(_directory, "models.json");

    [Fact]
    public async Task ModelsFile_Rewritten_ValidChangesServedWithoutRestartBrokenOnesRefused()
    {
        await using var worker = SimulatorWorker.Start();
        var target = new { BaseUrl = worker.ApiUrl, Model = "sim" };
        Write(new { Name = "alpha", Targets = new[] { target } });
        var logs = new LogCapture();
        // Test runs watch no configuration file (tests/tests.runsettings); this test is about watching one.
        await using var gateway = await TestGateway.StartAsync(redis, new Dictionary<string, string?>
        {
            ["Gateway:ModelsFile"] = ModelsFile,
            ["hostBuilder:reloadConfigOnChange"] = "true",
        }, logs);
        using var client = gateway.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "alpha"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, "beta"));

        // 1. A model added to the file is served, without a restart.
        Write(new { Name = "alpha", Targets = new[] { target } }, new { Name = "beta", Targets = new[] { target } });
        await Eventually.TrueAsync(async () => await StatusAsync(client, "beta") == HttpStatusCode.OK, s_reload, "the added model was not served");

        // 2. A change that does not validate (a target with both Service and BaseUrl) is refused as a whole.
        Write(
            new { Name = "alpha", Targets = new[] { target } },
            new { Name = "beta", Targets = new[] { target } },
            new { Name = "gamma", Targets = new[] { new { Service = "inference", BaseUrl = worker.ApiUrl } } });
        await Eventually.TrueAsync(() => Task.FromResult(logs.Messages(ConfigurationRefused).Count > 0), s_reload, "the broken change was not refused");
        Assert.Contains("Gateway:Models:2:Targets:0 must set exactly one of Service and BaseUrl", logs.Messages(ConfigurationRefused)[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, "gamma"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "alpha"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "beta"));

        // 3. A file that is not JSON. The JSON provider drops the file's keys when it cannot read it, which is the sign
        // that it read this one; routing must not follow it to an empty table.
        var configuration = gateway.Services.GetRequiredService<IConfiguration>();
        WriteText("""{ "Gateway": { "Models": [ { "Name": "delta", """);
        await Eventually.TrueAsync(() => Task.FromResult(configuration["Gateway:Models:0:Name"] is null), s_reload, "the broken file was not read");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "alpha"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "beta"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, "delta"));

        // 4. The file repaired: its table is taken, models it no longer lists included.
        Write(new { Name = "alpha", Targets = new[] { target } }, new { Name = "delta", Targets = new[] { target } });
        await Eventually.TrueAsync(async () => await StatusAsync(client, "delta") == HttpStatusCode.OK, s_reload, "the repaired file was not taken");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, "beta"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "alpha"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string model)
    {
        using var response = await TestGateway.PostChatAsync(client, model);
        return response.StatusCode;
    }

    private void Write(params object[] models) => WriteText(JsonSerializer.Serialize(new { Gateway = new { Models = models } }));

    /// <summary>Replaces the file in one step (written aside, then renamed over it), as a config map update does, so it is never read half-written.</summary>
    private void WriteText(string text)
    {
        var staging = Path.Combine(_directory, $".models-{Guid.NewGuid():n}.tmp");
        File.WriteAllText(staging, text);
        File.Move(staging, ModelsFile, overwrite: true);
    }
}
