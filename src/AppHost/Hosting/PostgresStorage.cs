using System.Security.Cryptography;
using System.Text;

namespace AiPlatform.AppHost.Hosting;

/// <summary>Where a local Postgres keeps its cluster and its Unix socket, and how its programs are started.</summary>
/// <param name="DataDirectory">
/// The cluster folder (PGDATA), owned by the server's user. Its socket lives there too: only that user (and root) may
/// enter it, so the local "trust" login over the socket is open to nobody else.
/// </param>
internal sealed record PostgresStorage(string DataDirectory)
{
    /// <summary>The operating-system user Postgres runs as when the AppHost runs as root; the Debian package creates it.</summary>
    public const string OsUser = "postgres";

    /// <summary>A Unix socket path longer than this does not fit sockaddr_un (108 bytes with the terminating zero).</summary>
    private const int MaxSocketPathLength = 107;

    private const string FallbackRoot = "/var/lib/aiplatform";

    /// <summary>
    /// <c>{dataDirectory}/postgres</c>, unless the AppHost runs as root and the <c>postgres</c> user cannot reach that
    /// folder (a repository under /root, mode 700): then a folder of its own under /var/lib/aiplatform, one per data folder.
    /// </summary>
    public static PostgresStorage Resolve(string dataDirectory, int port)
    {
        var root = dataDirectory;
        Directory.CreateDirectory(root);
        if (Tools.IsRoot && !CanOsUserEnter(root))
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..12];
            root = Path.Combine(FallbackRoot, hash);
            Directory.CreateDirectory(root);
        }

        var clusterDirectory = Path.Combine(root, "postgres");
        var socketPath = Path.Combine(clusterDirectory, $".s.PGSQL.{port}");
        if (socketPath.Length > MaxSocketPathLength)
        {
            throw new DistributedApplicationException(
                $"The Postgres socket path {socketPath} is longer than {MaxSocketPathLength} characters, which Unix sockets cannot use. Choose a shorter --data-dir.");
        }

        return new PostgresStorage(clusterDirectory);
    }

    /// <summary>A Postgres program and its arguments, run through setpriv as <see cref="OsUser"/> when the AppHost is root.</summary>
    public static (string Command, string[] Arguments) AsServerUser(string[] programAndArguments) =>
        Tools.IsRoot
            ? (Tools.FindOnPath("setpriv") ?? "setpriv", [$"--reuid={OsUser}", $"--regid={OsUser}", "--init-groups", "--", .. programAndArguments])
            : (programAndArguments[0], programAndArguments[1..]);

    /// <summary>Asks the kernel rather than reading modes: ACLs, groups and every ancestor folder all count.</summary>
    private static bool CanOsUserEnter(string directory)
    {
        var (command, arguments) = AsServerUser(["test", "-x", directory]);
        using var process = ToolProcess.Start(command, arguments);
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
