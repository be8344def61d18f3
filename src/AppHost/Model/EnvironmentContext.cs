namespace AiPlatform.AppHost.Model;

/// <summary>
/// What the environment of a resource depends on besides the model: facts of this run, known only once it starts.
/// </summary>
/// <param name="AppHostInstance">A fresh id per AppHost run.</param>
/// <param name="MasterKey">The admin key the services are given.</param>
/// <param name="Passwords">Superuser password of each local Postgres server, by resource name.</param>
/// <param name="HostEnvironment">The AppHost's own environment, for the settings passed through from it.</param>
public sealed record EnvironmentContext(
    Guid AppHostInstance,
    string MasterKey,
    IReadOnlyDictionary<string, string> Passwords,
    IReadOnlyDictionary<string, string> HostEnvironment)
{
    /// <summary>Everything the AppHost starts listens on loopback only.</summary>
    public const string LoopbackHost = "127.0.0.1";

    public string PasswordOf(PostgresServerResource server) =>
        Passwords.TryGetValue(server.Name, out var password)
            ? password
            : throw new InvalidOperationException($"No password is known for Postgres server '{server.Name}'.");
}
