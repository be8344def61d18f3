using AiPlatform.Gateway.Auth;

namespace AiPlatform.Gateway.Tests.Auth;

public sealed class VirtualKeysTests
{
    [Fact]
    public void Hash_KnownKey_MatchesSha256Hex()
    {
        // echo -n 'sk-aig-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG' | sha256sum
        Assert.Equal("c034ba93bf71a70126f575fa8b946dc7fb1d0dee997cfcbb1a6386e3ca9e5e33", VirtualKeys.Hash("sk-aig-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"));
    }

    [Theory]
    [InlineData("Bearer sk-aig-0123456789abcdefghijklmnopqrstuv", true)]
    [InlineData("bearer   sk-aig-0123456789abcdefghijklmnopqrstuv-_  ", true)]
    [InlineData("Bearer sk-aig-0123456789abcdefghijklmnopqrstu", false)]
    [InlineData("Bearer sk-aig-0123456789abcdefghijklmnopqrst+v", false)]
    [InlineData("Bearer sk-0123456789abcdefghijklmnopqrstuvwxyz", false)]
    [InlineData("Basic sk-aig-0123456789abcdefghijklmnopqrstuv", false)]
    [InlineData(null, false)]
    public void TryReadBearer_Shape_AcceptsOnlyVirtualKeys(string? header, bool valid)
    {
        Assert.Equal(valid, VirtualKeys.TryReadBearer(header, out _));
    }
}
