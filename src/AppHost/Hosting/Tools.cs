namespace AiPlatform.AppHost.Hosting;

/// <summary>The PostgreSQL server programs of one installed major version.</summary>
public sealed record PostgresBinaries(string Directory, int MajorVersion)
{
    public string Initdb => Path.Combine(Directory, "initdb");

    public string Postgres => Path.Combine(Directory, "postgres");

    /// <summary>
    /// Stands in for a PostgreSQL that is not installed, so the app model can still be built; the resource using it
    /// carries a <see cref="PrerequisiteAnnotation"/>, which stops the run before anything starts.
    /// </summary>
    public static PostgresBinaries NotInstalled { get; } = new("/usr/lib/postgresql/bin", 0);
}

/// <summary>Finds the programs of Debian's servers that the local Redis and Postgres resources run.</summary>
internal static class Tools
{
    public const string InstallRedis = "sudo apt-get install -y redis-server";
    public const string InstallPostgres = "sudo apt-get install -y postgresql";
    public const string InstallSetpriv = "sudo apt-get install -y util-linux";

    /// <summary>Debian installs the server programs under /usr/lib/postgresql/&lt;major&gt;/bin, off PATH; the newest wins.</summary>
    public static PostgresBinaries? FindPostgres()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.EnumerateDirectories(debianRoot)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Directory, "initdb")) && File.Exists(Path.Combine(d.Directory, "postgres")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Directory is not null)
            {
                return new PostgresBinaries(newest.Directory, newest.Version);
            }
        }

        // Other distributions put them on PATH; the version is then read from the data folder when it matters.
        return FindOnPath("initdb") is { } initdb && FindOnPath("postgres") is not null
            ? new PostgresBinaries(Path.GetDirectoryName(initdb)!, 0)
            : null;
    }

    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// initdb and postgres refuse to run as root; as root they run as the user the Debian package creates. The effective
    /// uid is the second field of the <c>Uid:</c> line of /proc/self/status.
    /// </summary>
    public static bool IsRoot { get; } = File.ReadLines("/proc/self/status")
        .FirstOrDefault(line => line.StartsWith("Uid:", StringComparison.Ordinal))
        ?.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, _, "0", ..];
}
