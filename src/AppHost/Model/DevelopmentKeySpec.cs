namespace AiPlatform.AppHost.Model;

/// <summary>
/// A virtual key for trying the platform out: created through <paramref name="AdminApi"/> (<c>POST /v1/keys</c> with the
/// master key) at the first start, once that service is ready; kept in the data folder; printed at every start with
/// ready-to-paste examples that call <paramref name="Gateway"/> with <paramref name="Model"/>.
/// </summary>
public sealed record DevelopmentKeySpec(ProjectResource AdminApi, ProjectResource Gateway, string Model)
{
    /// <summary>The key's name in the admin API, to recognise it in <c>GET /v1/keys</c> and on the Dashboard.</summary>
    public const string KeyName = "development";
}
