using AiPlatform.AppHost.Hosting;

namespace AiPlatform.AppHost.Tests.Hosting;

public sealed class SecretsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("apphost-secrets-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void ReadOrCreate_NoFile_WritesItReadableByOwnerOnly()
    {
        var path = Path.Combine(_directory.FullName, "secret");

        var (value, created) = Secrets.ReadOrCreate(path, () => "s3cret");

        Assert.True(created);
        Assert.Equal("s3cret", value);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void ReadOrCreate_FileExists_ReusesIt()
    {
        var path = Path.Combine(_directory.FullName, "secret");
        Secrets.ReadOrCreate(path, () => "first");

        var (value, created) = Secrets.ReadOrCreate(path, () => "second");

        Assert.False(created);
        Assert.Equal("first", value);
    }

    [Fact]
    public async Task ReadOrCreate_ManyCallersAtOnce_AllGetTheOneValueKeptAndNoTemporaryFileIsLeft()
    {
        var path = Path.Combine(_directory.FullName, "secret");
        using var start = new Barrier(8);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            start.SignalAndWait();
            return Secrets.ReadOrCreate(path, () => $"value-{i}");
        })));

        var kept = File.ReadAllText(path).Trim();
        Assert.All(results, r => Assert.Equal(kept, r.Value));
        Assert.Single(results, r => r.Created);
        Assert.Equal(["secret"], _directory.GetFiles().Select(f => f.Name));
    }
}
