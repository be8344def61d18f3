using AiPlatform.Dashboard.SignIn;
using AiPlatform.ServiceDefaults.Admin;
using Microsoft.Extensions.Configuration;

namespace AiPlatform.Dashboard.Tests.SignIn;

public sealed class ForwardedClientTests
{
    private const string Key = "sk-aig-fwd-0123456789abcdefghijklmnopqrstuvwxyzABCD";

    private static ForwardedClient With(string? key) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AIPLATFORM_FORWARDER_KEY"] = key }).Build());

    [Fact]
    public void Apply_KeyConfiguredAndAnAddress_SendsBothHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://usageapi/v1/admin/me");

        With(Key).Apply(request, "198.51.100.1");

        Assert.Equal(["198.51.100.1"], request.Headers.GetValues(AdminClientAddress.ForwardedForHeader));
        Assert.Equal([Key], request.Headers.GetValues(AdminClientAddress.ForwarderKeyHeader));
    }

    [Theory]
    [InlineData(null, "198.51.100.1")]
    [InlineData("", "198.51.100.1")]
    [InlineData(Key, null)]
    public void Apply_NoKeyOrNoAddress_SendsNeither(string? key, string? address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://usageapi/v1/admin/me");

        With(key).Apply(request, address);

        Assert.False(request.Headers.Contains(AdminClientAddress.ForwardedForHeader));
        Assert.False(request.Headers.Contains(AdminClientAddress.ForwarderKeyHeader));
    }
}
