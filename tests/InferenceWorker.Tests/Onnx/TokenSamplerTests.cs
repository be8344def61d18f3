using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Engines.Onnx;

namespace AiPlatform.InferenceWorker.Tests.Onnx;

public sealed class TokenSamplerTests
{
    private static readonly ModelConfig s_noDefaults = new(null, null, null, new HashSet<int>(), null, null, null, null);

    [Fact]
    public void Next_TemperatureZero_TakesTheLikeliest()
    {
        var sampler = TokenSampler.For(Request(temperature: 0), s_noDefaults, 0);

        Assert.Equal(2, sampler.Next([0.1f, 0.5f, 3f, -1f]));
    }

    [Fact]
    public void Next_TopKOne_AlwaysTheLikeliestWhateverTheTemperature()
    {
        var sampler = TokenSampler.For(Request(temperature: 2, topK: 1), s_noDefaults, 0);

        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(1, sampler.Next([1f, 1.2f, 1.1f])));
    }

    [Fact]
    public void Next_TopP_NeverDrawsOutsideTheNucleus()
    {
        // Probabilities about 0.64, 0.24, 0.09, 0.03: top_p 0.8 keeps the first two.
        var sampler = TokenSampler.For(Request(temperature: 1, topP: 0.8), s_noDefaults, 0);
        float[] logits = [3f, 2f, 1f, 0f];

        var drawn = Enumerable.Range(0, 500).Select(_ => sampler.Next(logits)).ToHashSet();

        Assert.Equal([0, 1], drawn.Order());
    }

    [Fact]
    public void Next_SameSeed_SameDraws_OtherChoiceOtherDraws()
    {
        float[] logits = [1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f];
        var first = TokenSampler.For(Request(temperature: 1, seed: 7), s_noDefaults, 0);
        var again = TokenSampler.For(Request(temperature: 1, seed: 7), s_noDefaults, 0);
        var second = TokenSampler.For(Request(temperature: 1, seed: 7), s_noDefaults, 1);

        var a = Enumerable.Range(0, 20).Select(_ => first.Next(logits)).ToList();

        Assert.Equal(a, Enumerable.Range(0, 20).Select(_ => again.Next(logits)));
        Assert.NotEqual(a, Enumerable.Range(0, 20).Select(_ => second.Next(logits)));
    }

    [Fact]
    public void For_NoTemperatureAndAModelThatDoesNotSample_DecodesGreedily()
    {
        var greedyModel = s_noDefaults with { DoSample = false };

        Assert.True(TokenSampler.For(Request(temperature: null), greedyModel, 0).IsGreedy);
        Assert.False(TokenSampler.For(Request(temperature: null), s_noDefaults, 0).IsGreedy);
    }

    private static GenerationRequest Request(double? temperature, double? topP = null, int? topK = null, long? seed = null) => new()
    {
        Kind = GenerationKind.Chat,
        Model = "m",
        Temperature = temperature,
        TopP = topP,
        TopK = topK,
        Seed = seed,
    };
}
