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
}
