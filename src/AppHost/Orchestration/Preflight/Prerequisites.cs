using AiPlatform.AppHost.Model;

namespace AiPlatform.AppHost.Orchestration.Preflight;

/// <summary>
/// Everything that can be known to fail before anything starts: missing programs (with the line that installs them),
/// services not built, ports taken. All problems are collected, so one run shows them all.
/// </summary>
internal static class Prerequisites
{
    private const string InstallRedis = "sudo apt-get install -y redis-server";
    private const string InstallPostgres = "sudo apt-get install -y postgresql";

    public static (Tools Tools, IReadOnlyList<string> Problems) Check(IReadOnlyList<Resource> resources, bool isRoot)
    {
        List<string> problems = [];

        var setsid = Tools.FindOnPath("setsid");
        if (setsid is null)
        {
            problems.Add("setsid was not found on PATH. Install it with: sudo apt-get install -y util-linux");
        }

        string? redisServer = null;
        if (resources.OfType<RedisResource>().Any(r => r.ExternalConnectionString is null))
        {
            redisServer = Tools.FindOnPath("redis-server");
            if (redisServer is null)
            {
                problems.Add(
                    $"redis-server was not found on PATH. Install it with: {InstallRedis}" +
                    $"{Environment.NewLine}  (or use an existing Redis by setting {ResourceEnvironment.ConnectionStringVariable(resources.OfType<RedisResource>().First().Name)}).");
            }
        }

        PostgresBinaries? postgres = null;
        string? setpriv = null;
        if (resources.OfType<PostgresServerResource>().FirstOrDefault(p => !p.IsExternal) is { } server)
        {
            postgres = Tools.FindPostgres();
            if (postgres is null)
            {
                problems.Add(
                    $"PostgreSQL was not found (no initdb under /usr/lib/postgresql/*/bin or on PATH). Install it with: {InstallPostgres}" +
                    $"{Environment.NewLine}  (or use an existing server by setting {string.Join(" and ", server.Databases.Select(d => ResourceEnvironment.ConnectionStringVariable(d.Name)))}).");
            }
            else if (postgres.All.FirstOrDefault(p => !File.Exists(p)) is { } missing)
            {
                problems.Add($"{missing} is missing from the PostgreSQL installation. Install it with: {InstallPostgres} postgresql-client");
            }

            // initdb and postgres refuse to run as root; as root they run as the postgres user the Debian package creates.
            if (isRoot)
            {
                setpriv = Tools.FindOnPath("setpriv");
                if (setpriv is null)
                {
                    problems.Add("setpriv was not found on PATH; it runs Postgres as the postgres user. Install it with: sudo apt-get install -y util-linux");
                }

                if (!PostgresUserExists())
                {
                    problems.Add($"The user 'postgres' does not exist; Postgres cannot run as root. Installing the package creates it: {InstallPostgres}");
                }
            }
        }

        string? dotnet = null;
        var projects = resources.OfType<ProjectResource>().ToList();
        if (projects.Count > 0)
        {
            dotnet = Tools.FindDotnet();
            if (dotnet is null)
            {
                problems.Add("The dotnet host was not found, neither beside the running runtime nor on PATH.");
            }

            foreach (var project in projects.Where(p => !File.Exists(p.Metadata.TargetPath)))
            {
                problems.Add($"{project.Name} is not built: {project.Metadata.TargetPath} is missing. Build it with: dotnet build src/AppHost");
            }
        }

        problems.AddRange(PortCheck.FindProblems(PortCheck.ClaimsOf(resources), PortCheck.IsInUse));

        return (new Tools(setsid ?? "setsid", setpriv, dotnet, redisServer, postgres), problems);
    }

    private static bool PostgresUserExists() =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith($"{PostgresServerResource.SuperUser}:", StringComparison.Ordinal));
}
