using AiPlatform.UsageApi.Keys;

namespace AiPlatform.UsageApi.Tests.Keys;

public sealed class ApiKeyHashTests
{
    [Fact]
    public void Compute_Fips180Vector_MatchesSha256()
    {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyHash.ToHex(ApiKeyHash.Compute("abc")));
    }

    [Fact]
    public void Compute_Key_LowercaseHexOfUtf8Sha256()
    {
        // Computed independently: python3 -c "import hashlib; print(hashlib.sha256(b'sk-aig-…').hexdigest())"
        var hex = ApiKeyHash.ToHex(ApiKeyHash.Compute("sk-aig-0123456789abcdefghijABCDEFGHIJ-_0123456789a"));

        Assert.Equal("4ca8d0411a54f0e9bdc75f2ed792be0ad56f5bf5d829251bc87fd2c8e72142d9", hex);
        Assert.Equal(ApiKeyHash.HexLength, hex.Length);
    }

    [Fact]
    public void TryParseHex_UppercaseHex_SameBytesAsLowercase()
    {
        var hash = ApiKeyHash.Compute("abc");

        Assert.True(ApiKeyHash.TryParseHex(Convert.ToHexString(hash), out var parsed));

        Assert.Equal(hash, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0")]
    [InlineData("za7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void TryParseHex_NotSixtyFourHexDigits_ReturnsFalse(string? hex)
    {
        Assert.False(ApiKeyHash.TryParseHex(hex, out _));
    }
}
