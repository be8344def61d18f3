using AiPlatform.AppHost.DevelopmentKeys;
using AiPlatform.AppHost.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace AiPlatform.AppHost.Tests.AppModel;

/// <summary>The platform's wiring as the AppHost's Program describes it, checked without starting anything.</summary>
public sealed class AppModelTests
{
    [Fact]
    public async Task Model_Default_RunsDebianServersAndFourServicesWithADevelopmentKey()
    {
        await using var model = await TestApplication.ModelAsync();

        Assert.IsType<LocalRedisResource>(model.Resource<IResource>("cache"));
        Assert.IsType<LocalPostgresServerResource>(model.Resource<IResource>("pg"));
        Assert.Same(model.Resource<LocalPostgresServerResource>("pg"), model.Resource<LocalPostgresDatabaseResource>("usagedb").Parent);
        foreach (var service in (string[])["usageapi", "inference-0", "gateway", "dashboard"])
        {
            Assert.IsType<ProjectResource>(model.Resource<IResource>(service));
        }

        Assert.IsType<DevelopmentKeyResource>(model.Resource<IResource>("dev-key"));
        Assert.True(model.Resource<ParameterResource>("master-key").Secret);
        Assert.True(model.Resource<ParameterResource>("forwarder-key").Secret);
    }

    [Fact]
    public async Task OnnxModel_Given_AddsAnOnnxWorkerServingTheFolderThatAnnouncesItselfAndTheGatewayWaitsFor()
    {
        var folder = Directory.CreateTempSubdirectory("apphost-onnx-model-").FullName;
        await using var model = await TestApplication.ModelAsync("--onnx-model", folder, "--onnx-model-name", "qwen", "--onnx-port", "9190");

        var environment = await model.EnvironmentAsync(PlatformOptions.OnnxWorkerName);

        Assert.Equal("onnx", environment["Inference__Engine"]);
        Assert.Equal("qwen", environment["Inference__Onnx__Models__0__Name"]);
        Assert.Equal(folder, environment["Inference__Onnx__Models__0__Path"]);
        Assert.Equal("cpu", environment["Inference__Onnx__Device"]);
        Assert.Equal("{cache.connectionString}", environment["ConnectionStrings__cache"]);
        Assert.Equal($"{{{PlatformOptions.OnnxWorkerName}.bindings.http.url}}", environment["Inference__Announce__Address"]);
        Assert.Equal(9190, Assert.Single(model.Resource<ProjectResource>(PlatformOptions.OnnxWorkerName).Annotations.OfType<EndpointAnnotation>()).Port);
        Assert.Contains(model.Resource<ProjectResource>("gateway").Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == PlatformOptions.OnnxWorkerName);
    }

    [Fact]
    public async Task OnnxModel_NotGiven_NoOnnxWorker()
    {
        await using var model = await TestApplication.ModelAsync();

        Assert.DoesNotContain(model.Resources, r => r.Name == PlatformOptions.OnnxWorkerName);
    }

    [Fact]
    public async Task Services_DefaultPorts_ListenThemselvesWithoutTheOrchestratorsProxy()
    {
        await using var model = await TestApplication.ModelAsync("--inference-replicas", "2");

        var endpoints = new[] { "gateway", "usageapi", "inference-0", "inference-1", "dashboard" }
            .Select(name => (name, Endpoint: Assert.Single(model.Resource<ProjectResource>(name).Annotations.OfType<EndpointAnnotation>())))
            .ToDictionary(e => e.name, e => e.Endpoint);

        Assert.Equal(
            [("gateway", 8080), ("usageapi", 8081), ("inference-0", 8082), ("inference-1", 8083), ("dashboard", 8088)],
            endpoints.Select(e => (e.Key, e.Value.Port ?? 0)));
        Assert.All(endpoints.Values, e => Assert.False(e.IsProxied));
        Assert.All(endpoints.Values, e => Assert.Equal(e.Port, e.TargetPort));
    }

    [Fact]
    public async Task Gateway_ThreeInferenceReplicas_GetsCacheUsageApiMasterKeyAndEveryReplicasOwnAddress()
    {
        await using var model = await TestApplication.ModelAsync("--inference-replicas", "3");

        var environment = await model.EnvironmentAsync("gateway");

        Assert.Equal("{cache.connectionString}", environment["ConnectionStrings__cache"]);
        Assert.Equal("{usageapi.bindings.http.url}", environment["services__usageapi__http__0"]);
        Assert.Equal("{master-key.value}", environment["AIPLATFORM_MASTER_KEY"]);
        Assert.Equal("{forwarder-key.value}", environment["AIPLATFORM_FORWARDER_KEY"]);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"{{inference-{i}.bindings.http.url}}", environment[$"services__inference__http__{i}"]);
        }

        Assert.False(environment.ContainsKey("services__inference__http__3"));
        Assert.Equal("sim", environment["Gateway__Models__0__Name"]);
        Assert.Equal("inference", environment["Gateway__Models__0__Targets__0__Service"]);
    }

    [Fact]
    public async Task InferenceReplicas_Two_GetTheCacheAndAnnounceTheAddressTheGatewayGetsForThem()
    {
        await using var model = await TestApplication.ModelAsync("--inference-replicas", "2");

        var gateway = await model.EnvironmentAsync("gateway");

        for (var i = 0; i < 2; i++)
        {
            var environment = await model.EnvironmentAsync($"inference-{i}");
            Assert.Equal("{cache.connectionString}", environment["ConnectionStrings__cache"]);
            Assert.Equal($"{{inference-{i}.bindings.http.url}}", environment["Inference__Announce__Address"]);
            Assert.Equal(gateway[$"services__inference__http__{i}"], environment["Inference__Announce__Address"]);
        }
    }

    [Fact]
    public async Task UsageApi_Default_GetsDatabaseCacheAndMasterKeyButNoInferenceAddress()
    {
        await using var model = await TestApplication.ModelAsync();

        var environment = await model.EnvironmentAsync("usageapi");

        Assert.Equal("{usagedb.connectionString}", environment["ConnectionStrings__usagedb"]);
        Assert.Equal("{cache.connectionString}", environment["ConnectionStrings__cache"]);
        Assert.Equal("{master-key.value}", environment["AIPLATFORM_MASTER_KEY"]);
        Assert.Equal("{forwarder-key.value}", environment["AIPLATFORM_FORWARDER_KEY"]);
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("services__inference", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_Default_ReachesUsageApiGatewayAndWorkers()
    {
        await using var model = await TestApplication.ModelAsync();

        var environment = await model.EnvironmentAsync("dashboard");

        Assert.Equal("{usageapi.bindings.http.url}", environment["services__usageapi__http__0"]);
        Assert.Equal("{gateway.bindings.http.url}", environment["services__gateway__http__0"]);
        Assert.Equal("{inference-0.bindings.http.url}", environment["services__inference__http__0"]);
        Assert.Equal("{forwarder-key.value}", environment["AIPLATFORM_FORWARDER_KEY"]);
        // The Dashboard acts with the signed-in person's credential only.
        Assert.False(environment.ContainsKey("AIPLATFORM_MASTER_KEY"));
    }

    [Fact]
    public async Task Services_Default_WaitForWhatTheyNeed()
    {
        await using var model = await TestApplication.ModelAsync();

        Assert.Equal(["pg", "usagedb", "cache"], WaitsFor(model, "usageapi"));
        Assert.Equal(["cache"], WaitsFor(model, "inference-0"));
        Assert.Equal(["cache", "usageapi", "inference-0"], WaitsFor(model, "gateway"));
        Assert.Equal(["gateway"], WaitsFor(model, "dashboard"));
    }

    [Fact]
    public async Task Stores_ConnectionStringsConfigured_UsesThemAndRunsNoServer()
    {
        await using var model = await TestApplication.ModelAsync(
            "--ConnectionStrings:cache=redis.internal:6379", "--ConnectionStrings:usagedb=Host=db;Database=usagedb");

        // Aspire's AddConnectionString: a parameter holding the configured string, no server behind it.
        Assert.IsAssignableFrom<ParameterResource>(model.Resource<IResource>("cache"));
        Assert.IsAssignableFrom<ParameterResource>(model.Resource<IResource>("usagedb"));
        Assert.DoesNotContain(model.Resources, r => r is LocalRedisResource or LocalPostgresServerResource || r.Name == "pg");
    }

    [Fact]
    public async Task Stores_ContainersOptedIn_UsesAspiresStockRedisAndPostgres()
    {
        await using var model = await TestApplication.ModelAsync("--use-containers", "true");

        Assert.IsType<RedisResource>(model.Resource<IResource>("cache"));
        Assert.IsType<PostgresServerResource>(model.Resource<IResource>("pg"));
        Assert.IsType<PostgresDatabaseResource>(model.Resource<IResource>("usagedb"));
    }

    [Fact]
    public async Task LocalRedis_Default_BindsLoopbackOnItsPortAndKeepsDataInTheDataFolder()
    {
        await using var model = await TestApplication.ModelAsync("--redis-port", "6390");

        var redis = model.Resource<LocalRedisResource>("cache");
        var arguments = await model.ArgumentsAsync("cache");

        Assert.EndsWith("redis-server", redis.Command, StringComparison.Ordinal);
        Assert.Equal(["--port", "6390", "--bind", "127.0.0.1", "--dir", Path.Combine(TestApplication.DataDirectory, "redis")], arguments.Take(6));
        Assert.Equal("127.0.0.1:{cache.bindings.tcp.port}", redis.ConnectionStringExpression.ValueExpression);
    }

    private static string[] WaitsFor(IDistributedApplicationTestingBuilder model, string name) =>
        [.. model.Resource<IResource>(name).Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name)];
}
