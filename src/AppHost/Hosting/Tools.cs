using System.Runtime.InteropServices;

namespace AiPlatform.AppHost.Orchestration.Preflight;

/// <summary>The PostgreSQL server programs of one installed major version.</summary>
internal sealed record PostgresBinaries(string Directory, int MajorVersion)
{
    public string Initdb => Path.Combine(Directory, "initdb");

    public string Postgres => Path.Combine(Directory, "postgres");

    public string PgIsReady => Path.Combine(Directory, "pg_isready");

    public string Psql => Path.Combine(Directory, "psql");

    public IEnumerable<string> All => [Initdb, Postgres, PgIsReady, Psql];
}

/// <summary>The programs the AppHost runs, found once before anything starts. Null where not needed or not found.</summary>
internal sealed record Tools(string Setsid, string? Setpriv, string? Dotnet, string? RedisServer, PostgresBinaries? Postgres)
{
    /// <summary>Debian installs the server programs under /usr/lib/postgresql/&lt;major&gt;/bin, off PATH; the newest wins.</summary>
    public static PostgresBinaries? FindPostgres()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.EnumerateDirectories(debianRoot)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Directory, "initdb")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Directory is not null)
            {
                return new PostgresBinaries(newest.Directory, newest.Version);
            }
        }

        // Other distributions put them on PATH; the version is then read from the data folder when it matters.
        return FindOnPath("initdb") is { } initdb ? new PostgresBinaries(Path.GetDirectoryName(initdb)!, 0) : null;
    }

    /// <summary>
    /// The dotnet host that runs the AppHost itself, so the services run on the same runtime installation; PATH as
    /// the fallback. The runtime folder is &lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/.
    /// </summary>
    public static string? FindDotnet()
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var beside = Path.Combine(root, "dotnet");
        return File.Exists(beside) ? beside : FindOnPath("dotnet");
    }

    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }
}
