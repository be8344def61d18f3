using AiPlatform.AppHost.Configuration;
using AiPlatform.AppHost.Model;

namespace AiPlatform.AppHost.Tests;

/// <summary>The platform's real description, built from options as the command line and environment would give them.</summary>
internal static class TestApplication
{
    public const string MasterKey = "sk-aig-master-test";
    public const string PostgresPassword = "pg-test-password";
    public static readonly Guid Instance = Guid.Parse("0d9c8f3e-5b4a-4c2d-9e1f-7a6b5c4d3e2f");

    public static AppHostOptions Options(string[]? args = null, Dictionary<string, string>? environment = null) =>
        AppHostOptionsParser.Parse(args ?? [], environment ?? [], "/tmp/aiplatform-tests").Options
        ?? throw new InvalidOperationException("The test's options do not parse.");

    public static DistributedApplication Build(string[]? args = null, Dictionary<string, string>? environment = null) =>
        new DistributedApplicationBuilder(Options(args, environment)).AddAiPlatform().Build();

    public static EnvironmentContext Context(Dictionary<string, string>? hostEnvironment = null) =>
        new(Instance, MasterKey, new Dictionary<string, string> { ["pg"] = PostgresPassword }, hostEnvironment ?? []);

    public static T Resource<T>(this DistributedApplication application, string name) where T : Resource =>
        application.Resources.OfType<T>().Single(r => r.Name == name);

    /// <summary>The environment of replica <paramref name="replica"/> of project <paramref name="name"/>.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentOf(
        this DistributedApplication application, string name, int replica = 0, Dictionary<string, string>? hostEnvironment = null) =>
        ResourceEnvironment.ForProject(application.Resource<ProjectResource>(name), replica, Context(hostEnvironment ?? application.Options.Environment.ToDictionary()));
}
