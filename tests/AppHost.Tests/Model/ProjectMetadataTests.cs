using AiPlatform.AppHost.Model;

namespace AiPlatform.AppHost.Tests.Model;

public class ProjectMetadataTests
{
    [Fact]
    public void GeneratedProjects_EachService_PointsAtItsProjectAndAssembly()
    {
        (IProjectMetadata Metadata, string Name)[] services =
        [
            (new Projects.Gateway(), "Gateway"),
            (new Projects.InferenceWorker(), "InferenceWorker"),
            (new Projects.UsageApi(), "UsageApi"),
            (new Projects.Dashboard(), "Dashboard"),
        ];

        foreach (var (metadata, name) in services)
        {
            Assert.True(File.Exists(metadata.ProjectPath), metadata.ProjectPath);
            Assert.Equal($"{name}.csproj", Path.GetFileName(metadata.ProjectPath));
            Assert.Equal($"AiPlatform.{name}.dll", Path.GetFileName(metadata.TargetPath));
            Assert.StartsWith(Path.GetDirectoryName(metadata.ProjectPath)!, metadata.TargetPath, StringComparison.Ordinal);
        }
    }
}
