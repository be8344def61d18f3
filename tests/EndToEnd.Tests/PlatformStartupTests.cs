using System.Net;
using AiPlatform.EndToEnd.Tests.Hosting;

namespace AiPlatform.EndToEnd.Tests;

[Collection(AppHostCollection.Name)]
public class PlatformStartupTests(AppHostFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AppHost_Started_EveryServiceIsHealthyAndAlive()
    {
        using var http = AppHostProcess.NewHttpClient();

        foreach (var service in (Uri[])[fixture.GatewayUrl, fixture.UsageApiUrl, fixture.InferenceUrl, fixture.DashboardUrl])
        {
            foreach (var path in (string[])["/health", "/alive"])
            {
                using var response = await http.GetAsync(new Uri(service, path)).WaitAsync(s_timeout);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {service}{path[1..]} answered {(int)response.StatusCode}.{Environment.NewLine}{fixture.Output}");
            }
        }
    }

    [Fact]
    public void AppHost_StartedWithoutMasterKey_GeneratedOne()
    {
        Assert.Matches("^sk-aig-master-[A-Za-z0-9_-]{40}$", fixture.MasterKey);
    }

    [Fact]
    public void AppHost_FirstStart_KeepsDevelopmentKeyOwnerOnlyAndPrintsItWithExamples()
    {
        var path = Path.Combine(fixture.AppHost.DataDirectory, AppHostProcess.DevelopmentKeyFileName);
        var port = fixture.AppHost.Ports.Gateway;
        var output = fixture.Output;

        Assert.Matches("^sk-aig-[A-Za-z0-9_-]{43}$", fixture.DevKey);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Contains($"Development key (created now, kept in {path}): {fixture.DevKey}", output, StringComparison.Ordinal);
        Assert.Contains(
            $"curl http://127.0.0.1:{port}/v1/chat/completions -H \"Authorization: Bearer {fixture.DevKey}\"", output, StringComparison.Ordinal);
        Assert.Contains($"OpenAI(base_url=\"http://127.0.0.1:{port}/v1\", api_key=\"{fixture.DevKey}\")", output, StringComparison.Ordinal);
        Assert.Contains($"new ApiKeyCredential(\"{fixture.DevKey}\")", output, StringComparison.Ordinal);
    }
}
