using System.Text;
using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Engines.Simulator;

namespace AiPlatform.InferenceWorker.Tests.Engines.Simulator;

public sealed class TextGeneratorTests
{
    private const int DefaultMaxTokens = 64;

    [Fact]
    public void Generate_SamePromptAndSeed_SameText()
    {
        using var first = Generate("What is a gateway?", seed: 7);
        using var second = Generate("What is a gateway?", seed: 7);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Count, second.Count);
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentText()
    {
        using var first = Generate("What is a gateway?", seed: 7);
        using var second = Generate("What is a gateway?", seed: 8);
        using var unseeded = Generate("What is a gateway?", seed: null);

        Assert.NotEqual(first.Text, second.Text);
        Assert.NotEqual(first.Text, unseeded.Text);
    }

    [Fact]
    public void Generate_DifferentPrompt_DifferentText()
    {
        using var first = Generate("What is a gateway?", seed: null);
        using var second = Generate("What is a worker?", seed: null);

        Assert.NotEqual(first.Text, second.Text);
    }

    [Fact]
    public void Generate_NoMaxTokens_NaturalLengthWithinBoundsEndingInPeriod()
    {
        var lengths = new HashSet<int>();
        for (var i = 0; i < 200; i++)
        {
            using var choice = Generate($"prompt {i}", seed: null);

            Assert.InRange(choice.Count, TextGenerator.MinimumLength, DefaultMaxTokens);
            Assert.Equal(FinishReason.Stop, choice.FinishReason);
            Assert.EndsWith(".", choice.Text, StringComparison.Ordinal);
            lengths.Add(choice.Count);
        }

        Assert.True(lengths.Count > 20, "lengths should spread over the range");
    }

    [Fact]
    public void Generate_AnyAnswer_EachPieceIsOneTokenOfTheText()
    {
        for (var i = 0; i < 100; i++)
        {
            using var choice = Generate($"prompt {i}", seed: i);

            var pieces = Enumerable.Range(0, choice.Count).Select(p => Encoding.UTF8.GetString(choice.Piece(p))).ToList();
            Assert.Equal(SimulatorTokenizer.Split(choice.Text), pieces);
        }
    }

    [Fact]
    public void Generate_MaxTokensBelowNaturalLength_PrefixOfWholeAnswerWithFinishLength()
    {
        using var whole = Generate("Tell me more.", seed: 1);
        using var cut = Generate("Tell me more.", seed: 1, maxTokens: 5);

        Assert.Equal(5, cut.Count);
        Assert.Equal(FinishReason.Length, cut.FinishReason);
        Assert.StartsWith(cut.Text, whole.Text, StringComparison.Ordinal);
        Assert.Equal(5, SimulatorTokenizer.Count(cut.Text));
    }

    [Fact]
    public void Generate_MaxTokensAboveNaturalLength_WholeAnswerWithFinishStop()
    {
        using var whole = Generate("Tell me more.", seed: 1);
        using var roomy = Generate("Tell me more.", seed: 1, maxTokens: 10_000);

        Assert.Equal(whole.Text, roomy.Text);
        Assert.Equal(FinishReason.Stop, roomy.FinishReason);
    }

    [Fact]
    public void Generate_StopStringInsideAnswer_CutsBeforeItWithFinishStop()
    {
        using var whole = Generate("Tell me more.", seed: 1);
        var stop = whole.Text.Substring(whole.Text.Length / 2, 3);
        var expected = whole.Text[..whole.Text.IndexOf(stop, StringComparison.Ordinal)];

        using var cut = Generate("Tell me more.", seed: 1, maxTokens: 3, stops: ["never there", stop]);
        using var stopped = Generate("Tell me more.", seed: 1, stops: ["never there", stop]);

        Assert.Equal(expected, stopped.Text);
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(SimulatorTokenizer.Count(expected), stopped.Count);
        Assert.Equal(FinishReason.Length, cut.FinishReason);
    }

    [Fact]
    public void Generate_StopStringAtStart_EmptyAnswer()
    {
        using var whole = Generate("Tell me more.", seed: 1);

        using var stopped = Generate("Tell me more.", seed: 1, stops: [whole.Text[..2]]);

        Assert.Equal("", stopped.Text);
        Assert.Equal(0, stopped.Count);
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
    }

    [Fact]
    public void EmbeddingGenerator_SameText_SameUnitVector()
    {
        var first = new float[384];
        var second = new float[384];
        var other = new float[384];

        EmbeddingGenerator.Generate(StableHash.Of("same"), first);
        EmbeddingGenerator.Generate(StableHash.Of("same"), second);
        EmbeddingGenerator.Generate(StableHash.Of("other"), other);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(1.0, Math.Sqrt(first.Sum(v => (double)v * v)), 5);
    }

    private static SimulatedChoice Generate(string prompt, long? seed, int? maxTokens = null, string[]? stops = null) =>
        TextGenerator.Generate(StableHash.Of(prompt), seed, 0, DefaultMaxTokens, maxTokens,
            (stops ?? []).Select(Encoding.UTF8.GetBytes).ToArray());
}
