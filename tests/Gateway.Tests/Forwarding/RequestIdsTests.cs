using AiPlatform.Gateway.Forwarding;

namespace AiPlatform.Gateway.Tests.Forwarding;

public sealed class RequestIdsTests
{
    private static readonly DateTimeOffset s_arrivedAt = new(2026, 11, 30, 17, 0, 0, 123, TimeSpan.Zero);

    [Theory]
    [InlineData("req-123")]
    [InlineData("trace:abc.def_9")]
    public void FromClientOrNew_WellFormed_KeepsClientValue(string value)
    {
        Assert.Equal(value, RequestIds.FromClientOrNew(value, s_arrivedAt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("<script>")]
    public void FromClientOrNew_MissingOrMalformed_MakesNewId(string? value)
    {
        var id = RequestIds.FromClientOrNew(value, s_arrivedAt);

        Assert.StartsWith("req_", id);
        Assert.Equal(28, id.Length);
        Assert.True(RequestIds.IsWellFormed(id));
    }

    [Fact]
    public void New_SameMillisecond_Differ()
    {
        Assert.NotEqual(RequestIds.New(s_arrivedAt), RequestIds.New(s_arrivedAt));
    }

    [Fact]
    public void New_StartsWithArrivalTimeInBase36Milliseconds()
    {
        var id = RequestIds.New(s_arrivedAt);

        Assert.Equal(s_arrivedAt.ToUnixTimeMilliseconds(), FromBase36(id.AsSpan(4, 9)));
    }

    [Fact]
    public void New_LaterArrival_SortsAfterAsText()
    {
        // Sorting ordinally as Postgres's C collation does, whatever the random part: a millisecond later is enough, and
        // a carry into a higher base-36 digit (…z → …10) must still sort after.
        var carry = DateTimeOffset.FromUnixTimeMilliseconds((s_arrivedAt.ToUnixTimeMilliseconds() / 36 * 36) + 35);
        foreach (var (earlier, later) in new[] { (s_arrivedAt, s_arrivedAt.AddMilliseconds(1)), (carry, carry.AddMilliseconds(1)) })
        {
            for (var i = 0; i < 100; i++)
            {
                Assert.True(string.CompareOrdinal(RequestIds.New(earlier), RequestIds.New(later)) < 0);
            }
        }
    }

    private static long FromBase36(ReadOnlySpan<char> digits)
    {
        long value = 0;
        foreach (var digit in digits)
        {
            value = (value * 36) + (char.IsAsciiDigit(digit) ? digit - '0' : digit - 'a' + 10);
        }

        return value;
    }

    [Fact]
    public void FromClientOrNew_TooLong_MakesNewId()
    {
        Assert.StartsWith("req_", RequestIds.FromClientOrNew(new string('a', 129), s_arrivedAt));
    }
}
