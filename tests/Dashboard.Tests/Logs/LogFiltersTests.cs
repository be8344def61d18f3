using AiPlatform.Dashboard.Analytics;
using AiPlatform.Dashboard.Logs;

namespace AiPlatform.Dashboard.Tests.Logs;

/// <summary>The Logs page's fields as typed become a query: blanks filter nothing, values are tidied as UsageApi wants them.</summary>
public sealed class LogFiltersTests
{
    private static readonly TimeRange s_range = new(new DateTimeOffset(2026, 3, 9, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero), "hour");

    [Fact]
    public void ToQuery_Untouched_TheRangeOnly()
    {
        var query = new LogFilters().ToQuery(s_range);

        Assert.Equal(new UsageQuery(s_range.From, s_range.To), query);
        Assert.False(query.IsFiltered);
    }

    [Fact]
    public void ToQuery_BlankFields_Dropped()
    {
        var query = new LogFilters { Model = "  ", KeyId = "", Status = " ", Target = "\t", Path = " ", TraceId = "   ", MetadataName = " ", MetadataValue = "" }.ToQuery(s_range);

        Assert.Equal(new UsageQuery(s_range.From, s_range.To), query);
        Assert.False(query.IsFiltered);
    }

    [Fact]
    public void ToQuery_Values_TrimmedAndPassedOn()
    {
        var query = new LogFilters { Model = " sim ", KeyId = "k-1", Status = "5xx ", Cached = true, Stream = false, Target = " worker-1", Path = "/v1/files " }.ToQuery(s_range);

        Assert.Equal(new UsageQuery(s_range.From, s_range.To) { Model = "sim", KeyId = "k-1", Status = "5xx", Cached = true, Stream = false, Target = "worker-1", Path = "/v1/files" }, query);
    }

    /// <summary>UsageApi takes trace ids in lower case only; one pasted from elsewhere in upper case still finds its records.</summary>
    [Fact]
    public void ToQuery_TraceIdInUpperCase_LowerCasedAndTrimmed() =>
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", new LogFilters { TraceId = " 4BF92F3577B34DA6A3CE929D0E0E4736 " }.ToQuery(s_range).TraceId);

    [Theory]
    [InlineData("team", null)]
    [InlineData("team", "")]
    [InlineData(null, "search")]
    [InlineData("  ", "search")]
    public void ToQuery_MetadataNameOrValueMissing_NoMetadataFilter(string? name, string? value)
    {
        var query = new LogFilters { MetadataName = name, MetadataValue = value }.ToQuery(s_range);

        Assert.Null(query.MetadataName);
        Assert.Null(query.MetadataValue);
        Assert.False(query.IsFiltered);
    }

    [Fact]
    public void ToQuery_MetadataNameAndValue_NameTrimmedValueAsTyped()
    {
        var query = new LogFilters { MetadataName = " team ", MetadataValue = "search" }.ToQuery(s_range);

        Assert.Equal("team", query.MetadataName);
        Assert.Equal("search", query.MetadataValue);
        Assert.EndsWith("&metadata.team=search", query.ToQueryString(), StringComparison.Ordinal);
    }
}
