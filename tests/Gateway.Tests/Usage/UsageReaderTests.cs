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

    [Fact]
    public void TryRead_RerankUsageOfTotalTokensAlone_CountsThemAsPrompt()
    {
        Assert.True(UsageReader.TryRead("""{"id":"rerank-1","results":[{"index":0,"relevance_score":0.9}],"usage":{"total_tokens":37}}"""u8, out var usage, out _));

        Assert.Equal(new TokenUsage(37, 0, 37), usage);
    }

    [Fact]
    public void TryRead_EmbeddingsUsage_PromptAndTotal()
    {
        Assert.True(UsageReader.TryRead("""{"usage":{"prompt_tokens":8,"total_tokens":8}}"""u8, out var usage, out _));

        Assert.Equal(new TokenUsage(8, 0, 8), usage);
    }

    [Theory]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"choices":[],"usage":null}""")]
    [InlineData("""not json""")]
    // Found by tests/Fuzz.Tests: a member name escaping a lone surrogate threw from ValueTextEquals, mid-stream.
    [InlineData("""{"usage":{"\ud800\u0041":1}}""")]
    public void TryRead_NoUsage_ReturnsFalse(string json)
    {
        Assert.False(UsageReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out _));
    }

    [Theory]
    [InlineData("""{"choices":[],"usage":{"prompt_tokens":1.5,"completion_tokens":2}}""")]
    [InlineData("""{"choices":[],"usage":{"prompt_tokens":1e10,"completion_tokens":2}}""")]
    public void TryRead_CountNotAnInt32_IgnoresItInsteadOfThrowing(string json)
    {
        // Found by tests/Fuzz.Tests: GetInt32 threw FormatException out of the SSE relay.
        Assert.True(UsageReader.TryRead(Encoding.UTF8.GetBytes(json), out var usage, out _));

        Assert.Equal(new TokenUsage(0, 2, 2), usage);
    }
}
