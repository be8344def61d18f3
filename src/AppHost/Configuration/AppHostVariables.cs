namespace AiPlatform.AppHost.Configuration;

/// <summary>Environment variables the AppHost sets besides the services' configuration contract (<c>KnownConfigNames</c>).</summary>
public static class AppHostVariables
{
    /// <summary>
    /// A fresh GUID per AppHost run, set on every child process. It marks what a run started, so that tests (and
    /// people) can find leftovers through <c>/proc/*/environ</c> after it stopped.
    /// </summary>
    public const string Instance = "AIPLATFORM_APPHOST_INSTANCE";

    public const string DotNetEnvironment = "DOTNET_ENVIRONMENT";

    /// <summary>Local runs are development runs: detailed errors, development settings files.</summary>
    public const string DevelopmentEnvironmentName = "Development";
}
