using AiPlatform.AppHost.Model;

namespace AiPlatform.AppHost.Tests.Model;

public class DistributedApplicationBuilderTests
{
    [Fact]
    public void AddProject_PortOptionGiven_ListensThere()
    {
        var application = TestApplication.Build(["--usageapi-port=9081"]);

        Assert.Equal(9081, application.Resource<ProjectResource>("usageapi").Port);
    }

    [Fact]
    public void AddProject_NameWithoutPortOption_Throws()
    {
        var builder = new DistributedApplicationBuilder(TestApplication.Options());

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddProject<Projects.Gateway>("billing"));

        Assert.Contains("billing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRedis_ConnectionStringInEnvironment_IsExternal()
    {
        var application = TestApplication.Build(environment: new() { ["ConnectionStrings__cache"] = "10.0.0.5:6379" });

        Assert.Equal("10.0.0.5:6379", application.Resource<RedisResource>("cache").ExternalConnectionString);
        Assert.False(application.Resource<PostgresServerResource>("pg").IsExternal);
    }

    [Fact]
    public void AddPostgres_EveryDatabaseExternal_ServerIsExternal()
    {
        var application = TestApplication.Build(environment: new() { ["ConnectionStrings__usagedb"] = "Host=db;Database=usagedb" });

        Assert.True(application.Resource<PostgresServerResource>("pg").IsExternal);
    }

    [Fact]
    public void Add_DuplicateName_Throws()
    {
        var builder = new DistributedApplicationBuilder(TestApplication.Options());
        builder.AddRedis("cache");

        Assert.Throws<InvalidOperationException>(() => builder.AddRedis("cache"));
    }

    [Fact]
    public void AddDatabase_NameNeedingQuotes_Throws()
    {
        var builder = new DistributedApplicationBuilder(TestApplication.Options());

        Assert.Throws<ArgumentException>(() => builder.AddPostgres("pg").AddDatabase("usage", "usage'; DROP"));
    }

    [Fact]
    public void WithReplicas_LessThanOne_Throws()
    {
        var builder = new DistributedApplicationBuilder(TestApplication.Options());

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddProject<Projects.InferenceWorker>("inference").WithReplicas(0));
    }

    [Fact]
    public void AddAiPlatform_Described_CreatesDevelopmentKeyThroughUsageApiForTheGateway()
    {
        var application = TestApplication.Build(["--gateway-port", "9080"]);

        var spec = application.DevelopmentKey;
        Assert.NotNull(spec);
        Assert.Same(application.Resource<ProjectResource>("usageapi"), spec.AdminApi);
        Assert.Same(application.Resource<ProjectResource>("gateway"), spec.Gateway);
        Assert.Equal("sim", spec.Model);
    }

    [Fact]
    public void AddDevelopmentKey_Twice_Throws()
    {
        var builder = new DistributedApplicationBuilder(TestApplication.Options());
        var usageApi = builder.AddProject<Projects.UsageApi>("usageapi");
        var gateway = builder.AddProject<Projects.Gateway>("gateway");
        builder.AddDevelopmentKey(usageApi, gateway, "sim");

        Assert.Throws<InvalidOperationException>(() => builder.AddDevelopmentKey(usageApi, gateway, "sim"));
    }
}
