namespace AiPlatform.AppHost.Model;

/// <summary>
/// Where a service project and its built assembly are. Implemented by the <c>Projects.*</c> classes the build
/// generates from the AppHost's project references (see AppHost.csproj), as in Aspire.
/// </summary>
public interface IProjectMetadata
{
    string ProjectPath { get; }

    string TargetPath { get; }
}
