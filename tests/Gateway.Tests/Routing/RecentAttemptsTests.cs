using AiPlatform.Gateway.Routing;
using Microsoft.Extensions.Time.Testing;

namespace AiPlatform.Gateway.Tests.Routing;

/// <summary>A target's figures of the last minute, on a clock the test moves.</summary>
public sealed class RecentAttemptsTests
{
    private readonly FakeTimeProvider _time = new();

    private long Now => _time.GetTimestamp();

    private long Milliseconds(int ms) => ms * _time.TimestampFrequency / 1000;

    [Fact]
    public void Read_NothingRecorded_ZeroesAndNoPercentiles()
    {
        var figures = new RecentAttempts(_time).Read(Now);

        Assert.Equal(new RecentFigures(0, 0, null, null), figures);
        Assert.Equal(0, figures.ErrorRate);
    }

    [Fact]
    public void Record_SuccessesAndFailures_CountedWithTheErrorRate()
    {
        var recent = new RecentAttempts(_time);

        for (var i = 0; i < 6; i++)
        {
            recent.Record(Now, Milliseconds(40), failed: false);
        }

        recent.Record(Now, Milliseconds(2), failed: true);
        recent.Record(Now, Milliseconds(2), failed: true);
        var figures = recent.Read(Now);

        Assert.Equal(8, figures.Requests);
        Assert.Equal(2, figures.Errors);
        Assert.Equal(0.25, figures.ErrorRate);
    }

    [Fact]
    public void Read_LatenciesSpread_PercentilesWithinTheirBins()
    {
        var recent = new RecentAttempts(_time);

        // 90 answers at 100 ms and 10 at 2.5 s: the median is in the 75–100 ms bin, the 95th in the 2–3 s bin.
        for (var i = 0; i < 90; i++)
        {
            recent.Record(Now, Milliseconds(100), failed: false);
        }

        for (var i = 0; i < 10; i++)
        {
            recent.Record(Now, Milliseconds(2_500), failed: false);
        }

        var figures = recent.Read(Now);

        Assert.InRange(figures.LatencyMsP50!.Value, 75, 100);
        Assert.InRange(figures.LatencyMsP95!.Value, 2_000, 3_000);
    }

    [Fact]
    public void Read_OnlyFailures_NoPercentiles()
    {
        var recent = new RecentAttempts(_time);

        recent.Record(Now, Milliseconds(5_000), failed: true);

        Assert.Null(recent.Read(Now).LatencyMsP50);
    }

    [Fact]
    public void Read_MinuteLater_OldAttemptsForgottenAndNewOnesCounted()
    {
        var recent = new RecentAttempts(_time);
        recent.Record(Now, Milliseconds(10), failed: true);
        _time.Advance(TimeSpan.FromSeconds(30));
        recent.Record(Now, Milliseconds(10), failed: false);

        Assert.Equal(2, recent.Read(Now).Requests);

        _time.Advance(TimeSpan.FromSeconds(40));
        var figures = recent.Read(Now);

        Assert.Equal(1, figures.Requests);
        Assert.Equal(0, figures.Errors);
    }

    [Fact]
    public void Record_SlotReusedAfterATurnOfTheRing_StartsFromZero()
    {
        var recent = new RecentAttempts(_time);
        recent.Record(Now, Milliseconds(10), failed: true);
        recent.Record(Now, Milliseconds(10), failed: true);

        // Exactly one turn later the same slot counts a new bucket.
        _time.Advance(TimeSpan.FromSeconds(RecentAttempts.WindowSeconds));
        recent.Record(Now, Milliseconds(10), failed: false);
        var figures = recent.Read(Now);

        Assert.Equal(1, figures.Requests);
        Assert.Equal(0, figures.Errors);
    }

    [Fact]
    public void Record_ConcurrentWriters_EveryAttemptCounted()
    {
        var recent = new RecentAttempts(_time);

        Parallel.For(0, 40_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => recent.Record(Now, Milliseconds(i % 200), failed: i % 4 == 0));

        var figures = recent.Read(Now);
        Assert.Equal(40_000, figures.Requests);
        Assert.Equal(10_000, figures.Errors);
    }

    [Fact]
    public void Record_OnTheRequestPath_AllocatesNothing()
    {
        var recent = new RecentAttempts(_time);
        recent.Record(Now, Milliseconds(10), failed: false);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            recent.Record(Now, Milliseconds(i % 3_000), failed: i % 10 == 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
