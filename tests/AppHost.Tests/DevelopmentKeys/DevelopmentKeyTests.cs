using AiPlatform.AppHost.DevelopmentKeys;

namespace AiPlatform.AppHost.Tests.DevelopmentKeys;

public sealed class DevelopmentKeyTests : IDisposable
{
    private const string Key = "sk-aig-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("apphost-devkey-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task ResolveAsync_NoFile_CreatesKeyAndKeepsItReadableByOwnerOnly()
    {
        var key = await DevelopmentKey.ResolveAsync(_directory.FullName, _ => Task.FromResult(Key), CancellationToken.None);

        var path = Path.Combine(_directory.FullName, "dev-key");
        Assert.Equal(new DevelopmentKey(Key, path, Created: true), key);
        Assert.Equal(Key, File.ReadAllText(path).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["dev-key"], _directory.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public async Task ResolveAsync_FileExists_ReusesItWithoutCreating()
    {
        await DevelopmentKey.ResolveAsync(_directory.FullName, _ => Task.FromResult(Key), CancellationToken.None);

        var key = await DevelopmentKey.ResolveAsync(
            _directory.FullName, _ => throw new InvalidOperationException("A kept key must not be created again."), CancellationToken.None);

        Assert.Equal(Key, key.Value);
        Assert.False(key.Created);
    }

    [Fact]
    public async Task ResolveAsync_BlankFile_CreatesKey()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "dev-key"), "\n");

        var key = await DevelopmentKey.ResolveAsync(_directory.FullName, _ => Task.FromResult(Key), CancellationToken.None);

        Assert.True(key.Created);
        Assert.Equal(Key, File.ReadAllText(key.Path).Trim());
    }

    [Fact]
    public async Task ResolveAsync_CreationFails_WritesNothing()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => DevelopmentKey.ResolveAsync(
            _directory.FullName, _ => throw new HttpRequestException("UsageApi is down"), CancellationToken.None));

        Assert.Empty(_directory.GetFiles());
    }

    [Fact]
    public void QuickStart_Examples_CallTheGatewayWithTheKey()
    {
        var examples = QuickStart.Examples(Key, new Uri("http://127.0.0.1:9080"), "sim");

        var lines = examples.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains(
            $$"""curl http://127.0.0.1:9080/v1/chat/completions -H "Authorization: Bearer {{Key}}" -H "Content-Type: application/json" -d '{"model":"sim","messages":[{"role":"user","content":"Hello"}]}'""",
            lines);
        Assert.Contains($"""client = OpenAI(base_url="http://127.0.0.1:9080/v1", api_key="{Key}")""", lines);
        Assert.Contains(
            $$"""var client = new OpenAIClient(new ApiKeyCredential("{{Key}}"), new OpenAIClientOptions { Endpoint = new Uri("http://127.0.0.1:9080/v1") });""",
            lines);
    }

    [Fact]
    public void QuickStart_Title_SaysWhetherTheKeyIsNew()
    {
        Assert.Equal($"Development key (created now, kept in /data/dev-key): {Key}", QuickStart.Title(new DevelopmentKey(Key, "/data/dev-key", true)));
        Assert.Equal($"Development key (from /data/dev-key): {Key}", QuickStart.Title(new DevelopmentKey(Key, "/data/dev-key", false)));
    }
}
