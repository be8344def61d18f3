using System.Security.Cryptography;
using System.Text;
using AiPlatform.AppHost.Configuration;
using AiPlatform.AppHost.Model;
using AiPlatform.AppHost.Orchestration.Processes;

namespace AiPlatform.AppHost.Orchestration.Storage;

/// <summary>Where a local Postgres keeps its data and its socket, and the superuser password for TCP connections.</summary>
/// <param name="DataDirectory">The cluster folder (PGDATA), owned by the server's user.</param>
/// <param name="SocketDirectory">
/// Its Unix socket: the data folder itself, which only the server's user (and root) may enter; so the local "trust"
/// login over the socket is open to the AppHost but to no other user.
/// </param>
/// <param name="Password">The superuser's password, required for every TCP connection (scram-sha-256).</param>
internal sealed record PostgresStorage(string DataDirectory, string SocketDirectory, string Password)
{
    /// <summary>The operating-system user Postgres runs as when the AppHost runs as root; the Debian package creates it.</summary>
    public const string OsUser = "postgres";

    private const int PasswordLength = 32;

    /// <summary>A Unix socket path longer than this does not fit sockaddr_un (108 bytes with the terminating zero).</summary>
    private const int MaxSocketPathLength = 107;

    private const string FallbackRoot = "/var/lib/aiplatform";

    public static async Task<PostgresStorage> PrepareAsync(
        PostgresServerResource server, AppHostOptions options, RunContext context, CancellationToken cancellationToken)
    {
        var root = options.DataDirectory;

        // initdb and postgres run as the postgres user, which must be able to reach the folder: a repository under
        // /root (mode 700) is out of its reach, so the data then goes to a folder of its own, one per data folder.
        if (context.IsRoot && !await CanOsUserEnterAsync(root, context, cancellationToken))
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..12];
            var fallback = Path.Combine(FallbackRoot, hash);
            Directory.CreateDirectory(fallback);
            context.Reporter.Info($"The {OsUser} user cannot enter {root}; Postgres keeps its data in {fallback} instead.");
            root = fallback;
        }

        var dataDirectory = Path.Combine(root, "postgres");
        var socketPath = Path.Combine(dataDirectory, $".s.PGSQL.{server.Port}");
        if (socketPath.Length > MaxSocketPathLength)
        {
            throw new StartupException(
                $"The Postgres socket path {socketPath} is longer than {MaxSocketPathLength} characters, which Unix sockets cannot use. Choose a shorter --data-dir.");
        }

        var (password, _) = Secrets.ReadOrCreate(Path.Combine(options.DataDirectory, "postgres-password"), () => Secrets.NewUrlSafe(PasswordLength));
        return new PostgresStorage(dataDirectory, dataDirectory, password);
    }

    /// <summary>Asks the kernel rather than reading modes: ACLs, groups and every ancestor folder all count.</summary>
    private static async Task<bool> CanOsUserEnterAsync(string directory, RunContext context, CancellationToken cancellationToken)
    {
        var (fileName, arguments) = context.AsPostgresUser("test", ["-x", directory]);
        var result = await Command.RunAsync(fileName, arguments, context.ProcessEnvironment, workingDirectory: "/", cancellationToken: cancellationToken);
        return result.Succeeded;
    }
}
