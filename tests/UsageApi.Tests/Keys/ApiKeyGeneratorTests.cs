using System.Buffers.Text;
using AiPlatform.UsageApi.Keys;

namespace AiPlatform.UsageApi.Tests.Keys;

public sealed class ApiKeyGeneratorTests
{
    [Fact]
    public void Generate_Always_PrefixPlus43UrlSafeCharacters()
    {
        var key = ApiKeyGenerator.Generate();

        Assert.StartsWith("sk-aig-", key, StringComparison.Ordinal);
        Assert.Equal(50, key.Length);
        Assert.Equal(ApiKeyGenerator.KeyLength, key.Length);
        Assert.All(key["sk-aig-".Length..], c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe base64"));
    }

    [Fact]
    public void Generate_RandomPart_Is32BytesOfUnpaddedBase64Url()
    {
        var key = ApiKeyGenerator.Generate();

        var random = Base64Url.DecodeFromChars(key.AsSpan("sk-aig-".Length));

        Assert.Equal(32, random.Length);
        Assert.DoesNotContain('=', key);
    }

    [Fact]
    public void Generate_ManyKeys_AllDistinctAndCharactersSpread()
    {
        var keys = Enumerable.Range(0, 20_000).Select(_ => ApiKeyGenerator.Generate()).ToList();

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        // 20,000 × 43 characters from a 64-character alphabet: every one of them turns up.
        Assert.Equal(64, keys.SelectMany(k => k["sk-aig-".Length..]).Distinct().Count());
    }

    [Fact]
    public void DisplayPrefix_Key_FirstElevenCharactersAndEllipsis()
    {
        Assert.Equal("sk-aig-AbCd…", ApiKeyGenerator.DisplayPrefix("sk-aig-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfG"));
    }
}
