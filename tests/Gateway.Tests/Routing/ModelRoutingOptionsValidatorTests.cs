using AiPlatform.Gateway.Routing;

namespace AiPlatform.Gateway.Tests.Routing;

public sealed class ModelRoutingOptionsValidatorTests
{
    [Fact]
    public void Validate_ServiceTarget_Succeeds()
    {
        var options = new ModelRoutingOptions { Models = [new() { Name = "sim", Targets = [new() { Service = "inference" }] }] };

        Assert.True(new ModelRoutingOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_SeveralMistakes_ReportsEachWithItsKey()
    {
        var options = new ModelRoutingOptions
        {
            Models =
            [
                new() { Name = "a", Targets = [new() { Service = "x", BaseUrl = "http://h/v1" }] },
                new() { Name = "a", Targets = [] },
                new() { Name = "b", Targets = [new() { BaseUrl = "ftp://h", Provider = "magic" }] },
            ],
        };

        var result = new ModelRoutingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("Gateway:Models:0:Targets:0 must set exactly one of Service and BaseUrl"));
        Assert.Contains(failures, f => f.Contains("Gateway:Models:1:Name 'a' is configured twice"));
        Assert.Contains(failures, f => f.Contains("Gateway:Models:2:Targets:0:Provider 'magic'"));
        Assert.Contains(failures, f => f.Contains("Gateway:Models:2:Targets:0:BaseUrl must be an absolute http(s) URL"));
    }
}
