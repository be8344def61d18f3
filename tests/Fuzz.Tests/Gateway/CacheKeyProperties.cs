using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Requests;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace AiPlatform.Fuzz.Tests.Gateway;

/// <summary>
/// The cache key of an accepted body does not depend on its members' order or its white space, and the parser's
/// verdict does not either.
/// </summary>
public sealed class CacheKeyProperties(ITestOutputHelper output)
{
    public sealed record Reordered(InferenceOperation Operation, string Original, string Permuted)
    {
        public override string ToString() => $"{Operation}\n  original: {Original}\n  permuted: {Permuted}";
    }

    [Fact]
    public void For_PermutedAndReformattedBody_GivesTheSameKey()
    {
        var cases = GatewayBodies.Operation.SelectMany(operation =>
            Gen.Zip(GatewayBodies.Valid(operation), Gen.Zip(Gen.Choose(0, 3), Gen.Choose(0, int.MaxValue)))
                .Select(t => new Reordered(operation, t.Item1.Render(), t.Item1.Render(t.Item2.Item1, new Random(t.Item2.Item2)))));
        FuzzRunner.Run(output, "gateway.cachekey.order", cases.ToArbitrary(), Check);
    }

    private static void Check(Reordered input)
    {
        var original = FuzzInput.Of(input.Original).Bytes;
        var permuted = FuzzInput.Of(input.Permuted).Bytes;
        // The generator makes only valid bodies: both orders must be accepted, or the property would check nothing.
        Assert.True(InferenceRequestParser.TryParse(original, input.Operation, out var first, out var error), error?.Message);
        Assert.True(InferenceRequestParser.TryParse(permuted, input.Operation, out var second, out error), error?.Message);
        Assert.Equal(first!.Model, second!.Model);
        Assert.Equal(CacheKey.Canonicalize(original), CacheKey.Canonicalize(permuted));
        Assert.Equal(CacheKey.For("key:k", input.Operation, original, null), CacheKey.For("key:k", input.Operation, permuted, null));
    }
}
