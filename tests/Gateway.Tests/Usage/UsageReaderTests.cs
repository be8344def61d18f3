using System.Text;
using AiPlatform.Gateway.Usage;

namespace AiPlatform.Gateway.Tests.Usage;

public sealed class UsageReaderTests
{
    [Fact]
    public void TryRead_CompletionWithUsage_ReadsCounts()
    {
        const string json = """{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"usage"}}],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":3}}}""";

        Assert.True(UsageReader.TryRead(Encoding.UTF8.GetBytes(json), out var usage, out var emptyChoices));

        Assert.Equal(new TokenUsage(11, 4, 15), usage);
        Assert.False(emptyChoices);
    }

    [Fact]
    public void TryRead_NoTotal_AddsPromptAndCompletion()
    {
        Assert.True(UsageReader.TryRead("""{"usage":{"prompt_tokens":2,"completion_tokens":3}}"""u8, out var usage, out _));

        Assert.Equal(5, usage.TotalTokens);
    }

    [Theory]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"choices":[],"usage":null}""")]
    [InlineData("""not json""")]
    public void TryRead_NoUsage_ReturnsFalse(string json)
    {
        Assert.False(UsageReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out _));
    }
}
