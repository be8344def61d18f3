using AiPlatform.Dashboard.Analytics;

namespace AiPlatform.Dashboard.Tests.Analytics;

/// <summary>The query string every analytics call is asked with: UsageApi's parameter names, each value escaped.</summary>
public sealed class UsageQueryTests
{
    private static readonly DateTimeOffset s_from = new(2026, 3, 9, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_to = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private const string Range = "from=2026-03-09T12%3A00%3A00.0000000Z&to=2026-03-10T12%3A00%3A00.0000000Z";

    [Fact]
    public void ToQueryString_RangeOnly_FromAndToInUtc() =>
        Assert.Equal(Range, new UsageQuery(s_from, s_to).ToQueryString());

    /// <summary>
    /// A time with an offset is sent in UTC: a '+' in a query string reads as a space, so an offset such as +02:00
    /// must never be sent as it is.
    /// </summary>
    [Fact]
    public void ToQueryString_TimesWithOffsets_SentAsUtcWithoutAPlus()
    {
        var query = new UsageQuery(new DateTimeOffset(2026, 3, 9, 14, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 3, 10, 7, 30, 0, TimeSpan.FromHours(-4.5)));

        var text = query.ToQueryString();

        Assert.Equal("from=2026-03-09T12%3A00%3A00.0000000Z&to=2026-03-10T12%3A00%3A00.0000000Z", text);
        Assert.DoesNotContain('+', text);
    }

    [Fact]
    public void ToQueryString_EveryFilter_InUsageApisNamesAndOrder()
    {
        var query = new UsageQuery(s_from, s_to)
        {
            Model = "gpt-4o-mini",
            KeyId = "0b6f0c52-9a43-4c29-9d8e-5a7c1f0e2b31",
            Status = "5xx",
            Cached = true,
            Stream = false,
            Target = "worker-1",
            Path = "/v1/images/generations",
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
            MetadataName = "team",
            MetadataValue = "search",
        };

        Assert.Equal(
            Range + "&model=gpt-4o-mini&key=0b6f0c52-9a43-4c29-9d8e-5a7c1f0e2b31&status=5xx&cached=true&stream=false"
            + "&target=worker-1&path=%2Fv1%2Fimages%2Fgenerations&trace_id=4bf92f3577b34da6a3ce929d0e0e4736&metadata.team=search",
            query.ToQueryString());
    }

    [Theory]
    [InlineData("llama3:8b+q4", "model=llama3%3A8b%2Bq4")]
    [InlineData("my model", "model=my%20model")]
    [InlineData("a&b=c", "model=a%26b%3Dc")]
    [InlineData("openai/gpt-4o", "model=openai%2Fgpt-4o")]
    [InlineData("  sim  ", "model=sim")]
    public void ToQueryString_ValueWithReservedCharacters_Escaped(string model, string expected) =>
        Assert.EndsWith("&" + expected, new UsageQuery(s_from, s_to) { Model = model }.ToQueryString(), StringComparison.Ordinal);

    [Fact]
    public void ToQueryString_MetadataNameAndValue_BothEscaped()
    {
        var query = new UsageQuery(s_from, s_to) { MetadataName = " my team ", MetadataValue = "search & rescue+1" };

        Assert.EndsWith("&metadata.my%20team=search%20%26%20rescue%2B1", query.ToQueryString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToQueryString_EmptyFilters_LeftOut()
    {
        var query = new UsageQuery(s_from, s_to)
        {
            Model = "",
            KeyId = "   ",
            Status = null,
            Target = "\t",
            Path = " ",
            TraceId = "",
            MetadataName = "team",
            MetadataValue = null,
        };

        Assert.Equal(Range, query.ToQueryString());
    }

    [Theory]
    [InlineData(null, "search")]
    [InlineData("", "search")]
    [InlineData("  ", "search")]
    [InlineData("team", null)]
    [InlineData("team", "")]
    public void ToQueryString_MetadataWithoutNameOrValue_LeftOut(string? name, string? value) =>
        Assert.Equal(Range, new UsageQuery(s_from, s_to) { MetadataName = name, MetadataValue = value }.ToQueryString());

    [Fact]
    public void IsFiltered_RangeOnly_False() =>
        Assert.False(new UsageQuery(s_from, s_to).IsFiltered);

    [Fact]
    public void IsFiltered_AnyFilter_True()
    {
        var range = new UsageQuery(s_from, s_to);
        Assert.All(
            [
                range with { Model = "sim" },
                range with { KeyId = "k" },
                range with { Status = "429" },
                range with { Cached = false },
                range with { Stream = true },
                range with { Target = "t" },
                range with { Path = "/v1/files" },
                range with { TraceId = "4bf92f3577b34da6a3ce929d0e0e4736" },
                range with { MetadataName = "team", MetadataValue = "search" },
            ],
            query => Assert.True(query.IsFiltered, query.ToQueryString()));
    }
}
