using AiPlatform.Dashboard.Audit;

namespace AiPlatform.Dashboard.Tests.Audit;

/// <summary>The Audit page's filters as <c>GET /v1/audit</c> reads them.</summary>
public sealed class AuditFiltersTests
{
    [Fact]
    public void ToQueryString_NoFilter_Empty()
    {
        var filters = new AuditFilters { TargetId = "  " };

        Assert.Equal("", filters.ToQueryString());
        Assert.False(filters.IsFiltered);
    }

    [Fact]
    public void ToQueryString_EveryFilter_TrimmedAndEscapedInOrder()
    {
        var filters = new AuditFilters { Action = "price.set", TargetType = "price", TargetId = " openai/gpt-4o & co ", ActorId = "5d0c3c1e" };

        Assert.Equal("action=price.set&target_type=price&target_id=openai%2Fgpt-4o%20%26%20co&actor_id=5d0c3c1e", filters.ToQueryString());
        Assert.True(filters.IsFiltered);
    }
}
