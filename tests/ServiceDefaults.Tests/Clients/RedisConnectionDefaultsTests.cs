using AiPlatform.ServiceDefaults.Clients;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace AiPlatform.ServiceDefaults.Tests.Clients;

public sealed class RedisConnectionDefaultsTests
{
    [Fact]
    public void Configure_PlainConnectionString_FailsFastAndKeepsReconnecting()
    {
        var options = ConfigurationOptions.Parse("127.0.0.1:6380");

        RedisConnectionDefaults.Configure(options);

        Assert.False(options.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, options.BacklogPolicy);
        Assert.Equal(2000, options.ConnectTimeout);
    }

    [Fact]
    public void Configure_ShorterConnectTimeoutGiven_KeepsIt()
    {
        var options = ConfigurationOptions.Parse("127.0.0.1:6380,connectTimeout=500");

        RedisConnectionDefaults.Configure(options);

        Assert.Equal(500, options.ConnectTimeout);
    }

    [Fact]
    public void TracesRedisCommands_NotConfigured_IsOff()
    {
        Assert.False(PlatformRedisClientExtensions.TracesRedisCommands(new ConfigurationBuilder().Build()));
    }

    [Theory]
    [InlineData("false", true)]
    [InlineData("true", false)]
    public void TracesRedisCommands_AspiresSettingGiven_FollowsIt(string disableTracing, bool traced)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Aspire:StackExchange:Redis:DisableTracing", disableTracing)])
            .Build();

        Assert.Equal(traced, PlatformRedisClientExtensions.TracesRedisCommands(configuration));
    }
}
