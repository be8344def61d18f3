using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AiPlatform.AppHost.Tests.AppModel;

/// <summary>
/// The Aspire manifest the AppHost publishes (what aspirate turns into Kubernetes manifests), produced as a user
/// produces it: the built AppHost run with <c>--publisher manifest</c>.
/// </summary>
public sealed class ManifestTests : IClassFixture<ManifestTests.PublishedManifest>
{
    private readonly JsonObject _resources;

    public ManifestTests(PublishedManifest manifest) => _resources = manifest.Resources;

    [Fact]
    public void Manifest_Published_NamesEveryResourceByKindAndNoLocalServer()
    {
        Assert.Equal(["cache", "pg"], OfType("container.v0"));
        Assert.Equal(["dashboard", "gateway", "inference-0", "usageapi"], OfType("project.v0"));
        Assert.Contains("usagedb", OfType("value.v0"));
        Assert.Contains("master-key", OfType("parameter.v0"));
        Assert.Contains("forwarder-key", OfType("parameter.v0"));
        Assert.DoesNotContain(_resources, r => (string?)r.Value!["type"] is "executable.v0");
    }

    [Theory]
    [InlineData("cache", "docker.io/library/redis:")]
    [InlineData("pg", "docker.io/library/postgres:")]
    public void Manifest_Stores_AreStockContainerImagesWithDataVolumes(string name, string imagePrefix)
    {
        var resource = _resources[name]!;

        Assert.Equal("container.v0", (string?)resource["type"]);
        Assert.StartsWith(imagePrefix, (string?)resource["image"], StringComparison.Ordinal);
        Assert.NotEmpty(resource["volumes"]!.AsArray());
        Assert.NotNull(resource["connectionString"]);
    }

    [Theory]
    [InlineData("usageapi", "src/UsageApi/UsageApi.csproj", 8081)]
    [InlineData("inference-0", "src/InferenceWorker/InferenceWorker.csproj", 8082)]
    [InlineData("gateway", "src/Gateway/Gateway.csproj", 8080)]
    [InlineData("dashboard", "src/Dashboard/Dashboard.csproj", 8088)]
    public void Manifest_Services_AreProjectsWithAnHttpBinding(string name, string project, int port)
    {
        var resource = _resources[name]!;

        Assert.Equal("project.v0", (string?)resource["type"]);
        Assert.EndsWith(project, (string?)resource["path"], StringComparison.Ordinal);
        var http = resource["bindings"]!["http"]!;
        Assert.Equal("http", (string?)http["scheme"]);
        Assert.Equal(port, (int?)http["targetPort"]);
    }

    [Fact]
    public void Manifest_Gateway_ReferencesStoresServicesAndSecretsByExpression()
    {
        var environment = _resources["gateway"]!["env"]!;

        Assert.Equal("{cache.connectionString}", (string?)environment["ConnectionStrings__cache"]);
        Assert.Equal("{usageapi.bindings.http.url}", (string?)environment["services__usageapi__http__0"]);
        Assert.Equal("{inference-0.bindings.http.url}", (string?)environment["services__inference__http__0"]);
        Assert.Equal("{master-key.value}", (string?)environment["AIPLATFORM_MASTER_KEY"]);
    }

    [Fact]
    public void Manifest_InferenceWorker_ReferencesTheCacheAndAnnouncesItsOwnBinding()
    {
        var environment = _resources["inference-0"]!["env"]!;

        Assert.Equal("{cache.connectionString}", (string?)environment["ConnectionStrings__cache"]);
        Assert.Equal("{inference-0.bindings.http.url}", (string?)environment["Inference__Announce__Address"]);
    }

    [Fact]
    public void Manifest_UsageApi_ReferencesTheDatabaseAndTheMasterKeyIsASecretInput()
    {
        Assert.Equal("{usagedb.connectionString}", (string?)_resources["usageapi"]!["env"]!["ConnectionStrings__usagedb"]);
        Assert.Equal("{pg.connectionString};Database=usagedb", (string?)_resources["usagedb"]!["connectionString"]);
        Assert.True((bool?)_resources["master-key"]!["inputs"]!["value"]!["secret"]);
        Assert.True((bool?)_resources["forwarder-key"]!["inputs"]!["value"]!["secret"]);
    }

    private string[] OfType(string type) =>
        [.. _resources.Where(r => (string?)r.Value!["type"] == type).Select(r => r.Key).Order()];

    /// <summary>Publishes the manifest once for the class: one run of the built AppHost, a few seconds.</summary>
    public sealed class PublishedManifest : IDisposable
    {
        private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("apphost-manifest-");

        public PublishedManifest()
        {
            var path = Path.Combine(_directory.FullName, "aspire-manifest.json");
            var appHost = Path.Combine(Path.GetDirectoryName(typeof(ManifestTests).Assembly.Location)!, "AiPlatform.AppHost.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])["exec", appHost, "--publisher", "manifest", "--output-path", path])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout) || process.ExitCode != 0 || !File.Exists(path))
            {
                throw new InvalidOperationException($"Publishing the manifest failed: {output.Result}{errors.Result}");
            }

            Resources = JsonNode.Parse(File.ReadAllText(path))!["resources"]!.AsObject();
        }

        public JsonObject Resources { get; }

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
