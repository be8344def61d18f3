using AiPlatform.AppHost.Model;

namespace AiPlatform.AppHost.Tests.Model;

public class ResourceGraphTests
{
    [Fact]
    public void Levels_PlatformWiring_StartsEachResourceAfterWhatItWaitsFor()
    {
        var application = TestApplication.Build();

        var levels = ResourceGraph.Levels(application.Resources)
            .Select(level => level.Select(r => r.Name).ToArray())
            .ToArray();

        Assert.Equal(
            [["cache", "pg", "inference"], ["usagedb"], ["usageapi"], ["gateway"], ["dashboard"]],
            levels);
    }

    [Fact]
    public void Levels_Cycle_ThrowsNamingAResource()
    {
        var builder = new DistributedApplicationBuilder(TestApplication.Options());
        var gateway = builder.AddProject<Projects.Gateway>("gateway");
        var dashboard = builder.AddProject<Projects.Dashboard>("dashboard").WaitFor(gateway);
        gateway.WaitFor(dashboard);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Levels_WaitForResourceOutsideTheApplication_Throws()
    {
        var other = new DistributedApplicationBuilder(TestApplication.Options());
        var foreignCache = other.AddRedis("cache");
        var builder = new DistributedApplicationBuilder(TestApplication.Options());
        builder.AddProject<Projects.Gateway>("gateway").WaitFor(foreignCache);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Build());

        Assert.Contains("not part of the application", error.Message, StringComparison.Ordinal);
    }
}
