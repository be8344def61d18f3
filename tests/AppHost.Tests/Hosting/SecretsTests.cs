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
        // Many rounds, because the window in which two creators can both succeed is a few microseconds wide.
        const int Callers = 8, Rounds = 200;
        var results = new (string Value, bool Created)[Rounds, Callers];
        using var start = new Barrier(Callers);

        // A thread each: eight pool threads blocked on the barrier would wait for the pool to grow, a second per thread.
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Factory.StartNew(() =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                start.SignalAndWait();
                results[round, caller] = Secrets.ReadOrCreate(SecretPath(round), () => $"value-{caller}");
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        for (var round = 0; round < Rounds; round++)
        {
            var kept = File.ReadAllText(SecretPath(round)).Trim();
            var inRound = Enumerable.Range(0, Callers).Select(caller => results[round, caller]).ToList();
            Assert.All(inRound, r => Assert.Equal(kept, r.Value));
            Assert.Single(inRound, r => r.Created);
        }

        Assert.Equal(Rounds, _directory.GetFiles().Length);
        Assert.All(_directory.GetFiles(), f => Assert.StartsWith("secret-", f.Name, StringComparison.Ordinal));
        Assert.DoesNotContain(_directory.GetFiles(), f => f.Name.EndsWith(".tmp", StringComparison.Ordinal));
    }

    private string SecretPath(int round) => Path.Combine(_directory.FullName, $"secret-{round}");
}
