using AiPlatform.AppHost.Model;

namespace AiPlatform.AppHost.Tests.Model;

public class ResourceEnvironmentTests
{
    [Fact]
    public void ForProject_UsageApi_GetsDatabaseAndCacheConnectionStrings()
    {
        var environment = TestApplication.Build().EnvironmentOf("usageapi");

        Assert.Equal(
            $"Host=127.0.0.1;Port=5433;Username=postgres;Password={TestApplication.PostgresPassword};Database=usagedb",
            environment["ConnectionStrings__usagedb"]);
        Assert.Equal("127.0.0.1:6380", environment["ConnectionStrings__cache"]);
        Assert.False(environment.ContainsKey("services__gateway__http__0"));
    }

    [Fact]
    public void ForProject_Gateway_GetsCacheUsageApiAndEveryInferenceReplica()
    {
        var environment = TestApplication.Build(["--inference-replicas", "3", "--inference-port", "9100"]).EnvironmentOf("gateway");

        Assert.Equal("127.0.0.1:6380", environment["ConnectionStrings__cache"]);
        Assert.Equal("http://127.0.0.1:8081", environment["services__usageapi__http__0"]);
        Assert.Equal("http://127.0.0.1:9100", environment["services__inference__http__0"]);
        Assert.Equal("http://127.0.0.1:9101", environment["services__inference__http__1"]);
        Assert.Equal("http://127.0.0.1:9102", environment["services__inference__http__2"]);
        Assert.False(environment.ContainsKey("services__inference__http__3"));
        Assert.False(environment.ContainsKey("ConnectionStrings__usagedb"));
    }

    [Fact]
    public void ForProject_Dashboard_GetsAddressesOfUsageApiGatewayAndInference()
    {
        var environment = TestApplication.Build(["--gateway-port", "9080"]).EnvironmentOf("dashboard");

        Assert.Equal("http://127.0.0.1:8081", environment["services__usageapi__http__0"]);
        Assert.Equal("http://127.0.0.1:9080", environment["services__gateway__http__0"]);
        Assert.Equal("http://127.0.0.1:8082", environment["services__inference__http__0"]);
        Assert.Equal(TestApplication.MasterKey, environment["AIPLATFORM_MASTER_KEY"]);
    }

    [Fact]
    public void ForProject_InferenceWorker_GetsNoReferences()
    {
        var environment = TestApplication.Build().EnvironmentOf("inference");

        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("services__", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gateway", 8080)]
    [InlineData("usageapi", 8081)]
    [InlineData("inference", 8082)]
    [InlineData("dashboard", 8088)]
    public void ForProject_AnyService_GetsUrlEnvironmentIdentityAndMasterKey(string name, int port)
    {
        var environment = TestApplication.Build().EnvironmentOf(name);

        Assert.Equal($"http://127.0.0.1:{port}", environment["ASPNETCORE_URLS"]);
        Assert.Equal("Development", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Development", environment["DOTNET_ENVIRONMENT"]);
        Assert.Equal(name, environment["OTEL_SERVICE_NAME"]);
        Assert.StartsWith($"service.instance.id={name}-", environment["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
        Assert.Equal(TestApplication.MasterKey, environment["AIPLATFORM_MASTER_KEY"]);
        Assert.Equal(TestApplication.Instance.ToString(), environment["AIPLATFORM_APPHOST_INSTANCE"]);
    }

    [Fact]
    public void ForProject_Replicas_GetOwnUrlAndInstanceIdButOneServiceName()
    {
        var application = TestApplication.Build(["--inference-replicas", "2"]);

        var first = application.EnvironmentOf("inference", 0);
        var second = application.EnvironmentOf("inference", 1);

        Assert.Equal("http://127.0.0.1:8082", first["ASPNETCORE_URLS"]);
        Assert.Equal("http://127.0.0.1:8083", second["ASPNETCORE_URLS"]);
        Assert.Equal("inference", second["OTEL_SERVICE_NAME"]);
        Assert.NotEqual(first["OTEL_RESOURCE_ATTRIBUTES"], second["OTEL_RESOURCE_ATTRIBUTES"]);
    }

    [Fact]
    public void ForProject_OtlpNotConfigured_OmitsOtlpVariables()
    {
        var environment = TestApplication.Build().EnvironmentOf("gateway");

        Assert.False(environment.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.False(environment.ContainsKey("OTEL_EXPORTER_OTLP_PROTOCOL"));
    }

    [Fact]
    public void ForProject_OtlpConfigured_PassesEndpointAndProtocol()
    {
        var host = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        };

        var environment = TestApplication.Build(environment: host).EnvironmentOf("usageapi");

        Assert.Equal("http://127.0.0.1:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
    }

    [Fact]
    public void ForProject_ExternalServers_PassesConnectionStringsThrough()
    {
        var host = new Dictionary<string, string>
        {
            ["ConnectionStrings__cache"] = "redis.internal:6379,password=secret",
            ["ConnectionStrings__usagedb"] = "Host=db.internal;Database=ledger;Username=app;Password=secret",
        };

        var environment = TestApplication.Build(environment: host).EnvironmentOf("usageapi");

        Assert.Equal("redis.internal:6379,password=secret", environment["ConnectionStrings__cache"]);
        Assert.Equal("Host=db.internal;Database=ledger;Username=app;Password=secret", environment["ConnectionStrings__usagedb"]);
    }

    [Fact]
    public void ForProject_WithEnvironment_AddsAndOverrides()
    {
        var builder = new DistributedApplicationBuilder(TestApplication.Options());
        builder.AddProject<Projects.Gateway>("gateway")
            .WithEnvironment("Gateway__Models__0__Alias", "chat")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Staging");

        var environment = builder.Build().EnvironmentOf("gateway");

        Assert.Equal("chat", environment["Gateway__Models__0__Alias"]);
        Assert.Equal("Staging", environment["ASPNETCORE_ENVIRONMENT"]);
    }

    [Fact]
    public void ForProcess_AnyProcess_CarriesTheAppHostInstance()
    {
        var environment = ResourceEnvironment.ForProcess(TestApplication.Instance);

        Assert.Equal(TestApplication.Instance.ToString(), Assert.Single(environment).Value);
        Assert.Equal("AIPLATFORM_APPHOST_INSTANCE", environment.Keys.Single());
    }
}
