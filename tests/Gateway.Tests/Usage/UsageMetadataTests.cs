using AiPlatform.Gateway.Usage;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.Gateway.Tests.Usage;

public sealed class UsageMetadataTests
{
    private static HttpRequest Request(string? metadata)
    {
        var context = new DefaultHttpContext();
        if (metadata is not null)
        {
            context.Request.Headers[UsageMetadata.Header] = metadata;
        }

        return context.Request;
    }

    [Fact]
    public void TryRead_NoHeader_SucceedsWithNothing()
    {
        Assert.True(UsageMetadata.TryRead(Request(null), 1024, out var metadata, out _));
        Assert.Null(metadata);
    }

    [Fact]
    public void TryRead_JsonObject_KeepsIt()
    {
        Assert.True(UsageMetadata.TryRead(Request("""{"team":"search","user":42}"""), 1024, out var metadata, out _));
        Assert.Equal("search", metadata!.Value.GetProperty("team").GetString());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"a\":")]
    public void TryRead_NotAJsonObject_Returns400(string value)
    {
        Assert.False(UsageMetadata.TryRead(Request(value), 1024, out _, out var error));
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(UsageMetadata.Header, error.Param);
    }

    [Theory]
    [InlineData("""{"team":"a\u0000"}""")]
    [InlineData("""{"team":"\ud800"}""")]
    [InlineData("""{"\udc00":1}""")]
    public void TryRead_NulOrLoneSurrogate_Returns400(string value)
    {
        // Found by tests/Fuzz.Tests: UsageApi stores metadata as jsonb, which refuses both, failing the usage batch.
        Assert.False(UsageMetadata.TryRead(Request(value), 1024, out _, out var error));

        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void TryRead_TooLarge_Returns400()
    {
        Assert.False(UsageMetadata.TryRead(Request($$"""{"a":"{{new string('x', 100)}}"}"""), 64, out _, out var error));
        Assert.Contains("at most 64 bytes", error.Message);
    }
}
