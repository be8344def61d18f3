using AiPlatform.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.Configuration;

namespace AiPlatform.ServiceDefaults.Tests.ServiceDiscovery;

public sealed class ServiceEndpointResolverTests
{
    private static ServiceEndpointResolver Resolver(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void Resolve_IndexedEndpoints_ReturnsAllInIndexOrder()
    {
        var resolver = Resolver(
            ("services:inference:http:1", "http://127.0.0.1:8083"),
            ("services:inference:http:0", "http://127.0.0.1:8082"),
            ("services:inference:http:10", "http://127.0.0.1:8092"));

        var endpoints = resolver.Resolve("inference", "http");

        Assert.Equal(["http://127.0.0.1:8082/", "http://127.0.0.1:8083/", "http://127.0.0.1:8092/"], endpoints.Select(e => e.ToString()));
    }

    [Fact]
    public void Resolve_SingleValue_ReturnsIt()
    {
        var resolver = Resolver(("services:usageapi:http", "http://10.1.2.3:8081"));

        Assert.Equal(new Uri("http://10.1.2.3:8081"), Assert.Single(resolver.Resolve("usageapi", "http")));
    }

    [Fact]
    public void Resolve_HttpsPlusHttpWithBoth_PrefersHttps()
    {
        var resolver = Resolver(
            ("services:usageapi:http:0", "http://127.0.0.1:8081"),
            ("services:usageapi:https:0", "https://127.0.0.1:8443"));

        Assert.Equal("https", Assert.Single(resolver.Resolve("usageapi", "https+http")).Scheme);
    }

    [Fact]
    public void Resolve_HttpsPlusHttpWithHttpOnly_FallsBackToHttp()
    {
        var resolver = Resolver(("services:usageapi:http:0", "http://127.0.0.1:8081"));

        Assert.Equal("http", Assert.Single(resolver.Resolve("usageapi", "https+http")).Scheme);
    }

    [Fact]
    public void Resolve_UnknownService_ReturnsEmpty()
    {
        var resolver = Resolver(("services:usageapi:http:0", "http://127.0.0.1:8081"));

        Assert.Empty(resolver.Resolve("example.com", "http"));
    }

    [Fact]
    public void Resolve_InvalidAddress_ThrowsNamingTheKey()
    {
        var resolver = Resolver(("services:usageapi:http:0", "not a uri"));

        var error = Assert.Throws<InvalidOperationException>(() => resolver.Resolve("usageapi", "http"));
        Assert.Contains("services:usageapi:http:0", error.Message);
    }
}
