using AiPlatform.AppHost.Orchestration.Storage;

namespace AiPlatform.AppHost.Tests.Orchestration.Storage;

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
    public void MasterKeyResolve_NotInEnvironment_GeneratesOnceAndReusesIt()
    {
        var options = TestApplication.Options(["--data-dir", _directory.FullName]);

        var first = MasterKey.Resolve(options);
        var second = MasterKey.Resolve(options);

        Assert.Matches("^sk-aig-master-[A-Za-z0-9_-]{40}$", first.Value);
        Assert.Equal(first.Value, second.Value);
        Assert.Contains("generated now", first.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("generated now", second.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void MasterKeyResolve_InEnvironment_UsesItAndWritesNothing()
    {
        var options = TestApplication.Options(["--data-dir", _directory.FullName], new() { ["AIPLATFORM_MASTER_KEY"] = "sk-aig-master-mine" });

        var key = MasterKey.Resolve(options);

        Assert.Equal("sk-aig-master-mine", key.Value);
        Assert.Empty(_directory.GetFiles());
    }
}
