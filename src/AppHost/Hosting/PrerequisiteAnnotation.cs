
namespace AiPlatform.AppHost.Hosting;

/// <summary>Something a resource needs that this machine lacks, with the line that installs it; reported before anything starts.</summary>
internal sealed record PrerequisiteAnnotation(string Problem) : IResourceAnnotation;
