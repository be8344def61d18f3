using AiPlatform.Dashboard.Logs;

namespace AiPlatform.Dashboard.Tests.Logs;

/// <summary>Keyset paging: forward by the cursor each page gave, back by the cursors remembered.</summary>
public sealed class LogPagerTests
{
    [Fact]
    public void New_FirstPage_NoCursorNoWayBackOrOn()
    {
        var pager = new LogPager();

        Assert.Null(pager.Current);
        Assert.Equal(1, pager.PageNumber);
        Assert.False(pager.HasPrevious);
        Assert.False(pager.HasNext);
    }

    [Fact]
    public void GoNext_AfterAPageWithACursor_ThatCursor()
    {
        var pager = new LogPager();
        pager.Shown("c2");
        Assert.True(pager.HasNext);

        pager.GoNext();

        Assert.Equal("c2", pager.Current);
        Assert.Equal(2, pager.PageNumber);
        Assert.True(pager.HasPrevious);
        Assert.False(pager.HasNext);
    }

    [Fact]
    public void GoPrevious_FromPageThree_TheCursorsThatLedThere()
    {
        var pager = new LogPager();
        pager.Shown("c2");
        pager.GoNext();
        pager.Shown("c3");
        pager.GoNext();
        pager.Shown(null);

        pager.GoPrevious();
        Assert.Equal("c2", pager.Current);
        Assert.Equal(2, pager.PageNumber);
        Assert.False(pager.HasNext);

        pager.GoPrevious();
        Assert.Null(pager.Current);
        Assert.Equal(1, pager.PageNumber);
        Assert.False(pager.HasPrevious);
    }

    [Fact]
    public void GoPrevious_OnTheFirstPage_StaysThere()
    {
        var pager = new LogPager();
        pager.Shown("c2");

        pager.GoPrevious();

        Assert.Null(pager.Current);
        Assert.Equal(1, pager.PageNumber);
        Assert.Equal("c2", pager.Next);
    }

    [Fact]
    public void Reset_FromPageThree_BackToTheFirstWithNoCursors()
    {
        var pager = new LogPager();
        pager.Shown("c2");
        pager.GoNext();
        pager.Shown("c3");
        pager.GoNext();
        pager.Shown("c4");

        pager.Reset();

        Assert.Null(pager.Current);
        Assert.Equal(1, pager.PageNumber);
        Assert.False(pager.HasPrevious);
        Assert.False(pager.HasNext);
    }

    [Fact]
    public void GoNext_OnTheLastPage_Throws()
    {
        var pager = new LogPager();
        pager.Shown(null);

        Assert.Throws<InvalidOperationException>(pager.GoNext);
        Assert.Equal(1, pager.PageNumber);
    }
}
