using AiPlatform.Gateway.Forwarding;

namespace AiPlatform.Gateway.Tests.Forwarding;

public sealed class RequestIdsTests
{
    [Theory]
    [InlineData("req-123")]
    [InlineData("trace:abc.def_9")]
    public void FromClientOrNew_WellFormed_KeepsClientValue(string value)
    {
        Assert.Equal(value, RequestIds.FromClientOrNew(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("<script>")]
    public void FromClientOrNew_MissingOrMalformed_MakesNewId(string? value)
    {
        var id = RequestIds.FromClientOrNew(value);

        Assert.StartsWith("req_", id);
        Assert.Equal(28, id.Length);
        Assert.True(RequestIds.IsWellFormed(id));
    }

    [Fact]
    public void New_TwoCalls_Differ()
    {
        Assert.NotEqual(RequestIds.New(), RequestIds.New());
    }

    [Fact]
    public void FromClientOrNew_TooLong_MakesNewId()
    {
        Assert.StartsWith("req_", RequestIds.FromClientOrNew(new string('a', 129)));
    }
}
