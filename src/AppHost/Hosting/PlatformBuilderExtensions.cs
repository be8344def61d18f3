using AiPlatform.AppHost.Hosting;

namespace Aspire.Hosting;

/// <summary>The AppHost's own settings, and the check of this machine that runs before anything starts.</summary>
internal static class PlatformBuilderExtensions
{
    /// <summary>
    /// Reads the run's <see cref="PlatformOptions"/> and, in run mode, checks before anything starts that every setting
    /// was readable, every program a local resource runs is installed and every port is free; all problems are reported
    /// together, each with what fixes it, and nothing is started.
    /// </summary>
    public static PlatformOptions AddPlatformOptions(this IDistributedApplicationBuilder builder)
    {
        var options = PlatformOptions.From(builder.Configuration, builder.AppHostDirectory);
        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
            {
                var problems = FindProblems(@event.Model, options);
                return problems.Count == 0
                    ? Task.CompletedTask
                    : throw new DistributedApplicationException(
                        $"The platform cannot start:{Environment.NewLine}- {string.Join($"{Environment.NewLine}- ", problems)}");
            });
        }

        return options;
    }

    private static List<string> FindProblems(DistributedApplicationModel model, PlatformOptions options)
    {
        List<string> problems = [.. options.Problems];
        problems.AddRange(model.Resources.SelectMany(r => r.Annotations.OfType<PrerequisiteAnnotation>()).Select(a => a.Problem));
        var ports = options.PortsInUse(
            localRedis: model.Resources.OfType<LocalRedisResource>().Any(),
            localPostgres: model.Resources.OfType<LocalPostgresServerResource>().Any());
        problems.AddRange(PortCheck.FindProblems([.. ports], PortCheck.IsInUse));
        return problems;
    }
}
