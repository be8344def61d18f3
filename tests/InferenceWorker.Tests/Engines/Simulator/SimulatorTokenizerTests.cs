using AiPlatform.InferenceWorker.Api;
using AiPlatform.InferenceWorker.Engines.Simulator;

namespace AiPlatform.InferenceWorker.Tests.Engines.Simulator;

public sealed class SimulatorTokenizerTests
{
    // The examples of the rule as documented on SimulatorTokenizer.
    [Theory]
    [InlineData("Hello, world!", new[] { "Hello", ",", " world", "!" })]
    [InlineData("  two  spaces ", new[] { "  two", "  spaces", " " })]
    [InlineData("déjà-vu 42", new[] { "déjà", "-", "vu", " 42" })]
    [InlineData("a\n\nb", new[] { "a", "\n\nb" })]
    [InlineData("😀!", new[] { "😀", "!" })]
    [InlineData("", new string[0])]
    public void Split_DocumentedExamples_FollowRule(string text, string[] expected)
    {
        Assert.Equal(expected, SimulatorTokenizer.Split(text));
        Assert.Equal(expected.Length, SimulatorTokenizer.Count(text));
    }

    [Theory]
    [InlineData("The quick brown fox jumps over the lazy dog.")]
    [InlineData("  leading and trailing  \t\n")]
    [InlineData("x=1; y = [2, 3]; // ünïcödé and 中文字符")]
    [InlineData("\ud83d")]
    public void Split_AnyText_PiecesConcatenateToText(string text)
    {
        var tokens = SimulatorTokenizer.Split(text);

        Assert.Equal(text, string.Concat(tokens));
        Assert.All(tokens, token => Assert.NotEmpty(token));
        Assert.Equal(tokens.Count, SimulatorTokenizer.Count(text));
    }

    [Fact]
    public void Count_SameTextTwice_SameCount()
    {
        const string text = "Counts are a pure function of the text, in every process.";

        Assert.Equal(SimulatorTokenizer.Count(text), SimulatorTokenizer.Count(new string(text.AsSpan())));
        Assert.Equal(13, SimulatorTokenizer.Count(text));
    }

    [Fact]
    public void CountChat_TwoMessages_AddsPerMessageAndReplyOverhead()
    {
        ChatMessage[] messages = [new("system", "Be brief."), new("user", "Hello, world!")];

        // system: 1 + 3 ("Be", " brief", "."); user: 1 + 4; overheads 3 per message and 3 for the reply.
        Assert.Equal(4 + 5 + (2 * SimulatorTokenizer.MessageOverhead) + SimulatorTokenizer.ReplyOverhead, SimulatorTokenizer.CountChat(messages));
    }

    [Fact]
    public void StableHash_KnownText_KnownValue()
    {
        // FNV-1a 64 over UTF-16 code units; pinned so that answers cannot change silently between versions.
        Assert.Equal(11831194018420276491UL, StableHash.Of("hello"));
    }
}
