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

    [Fact]
    public void Validate_FallbacksNamingItselfOrNothing_ReportsEachWithItsKey()
    {
        var options = new ModelRoutingOptions
        {
            Models =
            [
                new() { Name = "a", Targets = [new() { Service = "x" }], Fallbacks = ["b", "a"], ContextWindowFallbacks = [" "] },
                new() { Name = "b", Targets = [new() { Service = "x" }], Fallbacks = [""], ContextWindowFallbacks = ["b"] },
            ],
        };

        var failures = new ModelRoutingOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.Contains("Gateway:Models:0:Fallbacks:1 names the model itself"));
        Assert.Contains(failures, f => f.Contains("Gateway:Models:0:ContextWindowFallbacks:0 must name a model"));
        Assert.Contains(failures, f => f.Contains("Gateway:Models:1:Fallbacks:0 must name a model"));
        Assert.Contains(failures, f => f.Contains("Gateway:Models:1:ContextWindowFallbacks:0 names the model itself"));
    }

    [Fact]
    public void Validate_FallbacksToOtherModels_Succeeds()
    {
        var options = new ModelRoutingOptions
        {
            Models =
            [
                new() { Name = "small", Targets = [new() { Service = "x" }], Fallbacks = ["large"], ContextWindowFallbacks = ["large"] },
                new() { Name = "large", Targets = [new() { Service = "y" }] },
            ],
        };

        Assert.True(new ModelRoutingOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Validate_WeightOutOfRange_ReportedWithItsKey(int weight)
    {
        var options = new ModelRoutingOptions { Models = [new() { Name = "sim", Targets = [new() { Service = "x" }, new() { Service = "y", Weight = weight }] }] };

        var failure = Assert.Single(new ModelRoutingOptionsValidator().Validate(null, options).Failures!);

        Assert.Contains($"Gateway:Models:0:Targets:1:Weight must be between 1 and 1000, not {weight}", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void Validate_WeightAtTheBounds_Succeeds(int weight)
    {
        var options = new ModelRoutingOptions { Models = [new() { Name = "sim", Targets = [new() { Service = "x", Weight = weight }] }] };

        Assert.True(new ModelRoutingOptionsValidator().Validate(null, options).Succeeded);
    }
}
