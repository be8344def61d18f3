using AiPlatform.Gateway.Resilience;
using AiPlatform.Gateway.Routing;

namespace AiPlatform.Gateway.Tests.Routing;

/// <summary>
/// The strategies' choices. Random ones are checked over many draws with bounds that a correct picker misses with
/// negligible probability (many standard deviations), and a wrong one meets with none.
/// </summary>
public sealed class TargetPickerTests
{
    private const int Draws = 20_000;

    [Fact]
    public void Pick_Weighted_SharesFollowTheWeights()
    {
        var route = Route(TargetStrategy.Weighted, Target("a", weight: 1), Target("b", weight: 3));

        var shareOfB = Enumerable.Range(0, Draws).Count(_ => Pick(route).Label == "b") / (double)Draws;

        // Expected 0.75, standard deviation 0.003: ±0.02 is more than six of them.
        Assert.InRange(shareOfB, 0.73, 0.77);
    }

    [Fact]
    public void Pick_WeightedWithOneIneligible_NeverPicksIt()
    {
        var route = Route(TargetStrategy.Weighted, Target("a", weight: 1000), Target("b"), Target("c"));

        var picked = Enumerable.Range(0, 1000).Select(_ => TargetPicker.Pick(route, 0, static (t, _) => t.Label != "a")!.Label).ToHashSet();

        Assert.Equal(["b", "c"], picked.Order());
    }

    [Theory]
    [InlineData(TargetStrategy.Weighted)]
    [InlineData(TargetStrategy.LeastOutstanding)]
    [InlineData(TargetStrategy.LeastBusy)]
    [InlineData(TargetStrategy.PowerOfTwoChoices)]
    public void Pick_NothingEligible_ReturnsNull(TargetStrategy strategy)
    {
        var route = Route(strategy, Target("a"), Target("b"));

        Assert.Null(TargetPicker.Pick(route, 0, static (_, _) => false));
    }

    [Theory]
    [InlineData(TargetStrategy.Weighted)]
    [InlineData(TargetStrategy.LeastOutstanding)]
    [InlineData(TargetStrategy.LeastBusy)]
    [InlineData(TargetStrategy.PowerOfTwoChoices)]
    public void Pick_OneEligible_ReturnsItHoweverBusy(TargetStrategy strategy)
    {
        var route = Route(strategy, Target("idle"), Target("busy", outstanding: 50));

        Assert.Equal("busy", TargetPicker.Pick(route, 0, static (t, _) => t.Label == "busy")!.Label);
    }

    [Fact]
    public void Pick_LeastOutstanding_AlwaysTheOneWithFewestInFlight()
    {
        var route = Route(TargetStrategy.LeastOutstanding, Target("three", outstanding: 3), Target("one", outstanding: 1), Target("two", outstanding: 2));

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.Equal("one", Pick(route).Label));
    }

    [Fact]
    public void Pick_LeastOutstandingTied_SharesAmongTheTied()
    {
        var route = Route(TargetStrategy.LeastOutstanding, Target("a"), Target("b"), Target("busy", outstanding: 1));

        var picked = Enumerable.Range(0, 1000).Select(_ => Pick(route).Label).ToList();

        // Each tied target missing from 1000 fair draws has odds of 2^-1000.
        Assert.Equal(["a", "b"], picked.Distinct().Order());
    }

    [Fact]
    public void Pick_LeastBusy_ShortestEstimatedQueueFirstWhateverTheCache()
    {
        var route = Route(TargetStrategy.LeastBusy,
            Target("queued", load: new WorkerLoad(Running: 4, Waiting: 3, KvCacheUsage: 0.1)),
            Target("full-cache", load: new WorkerLoad(Running: 16, Waiting: 0, KvCacheUsage: 0.95), outstanding: 1));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal("full-cache", Pick(route).Label));
    }

    [Fact]
    public void Pick_LeastBusyAnnouncedIdleButLoadedSinceByThisReplica_TheOtherOne()
    {
        // The announcement is a moment old: requests this replica sent since count, or every pick would go to "idle".
        var route = Route(TargetStrategy.LeastBusy,
            Target("idle", load: new WorkerLoad(Running: 8, Waiting: 0, KvCacheUsage: 0.2), outstanding: 6),
            Target("queued", load: new WorkerLoad(Running: 8, Waiting: 2, KvCacheUsage: 0.2)));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal("queued", Pick(route).Label));
    }

    [Fact]
    public void Pick_LeastBusyEqualQueues_LeastKvCacheUse()
    {
        var route = Route(TargetStrategy.LeastBusy,
            Target("warm", load: new WorkerLoad(Running: 2, Waiting: 2, KvCacheUsage: 0.8)),
            Target("cool", load: new WorkerLoad(Running: 2, Waiting: 0, KvCacheUsage: 0.3), outstanding: 2));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal("cool", Pick(route).Label));
    }

    [Fact]
    public void Pick_LeastBusyEqualLoads_FewestInFlightFromThisReplica()
    {
        var load = new WorkerLoad(Running: 1, Waiting: 0, KvCacheUsage: 0.5);
        var route = Route(TargetStrategy.LeastBusy, Target("a", load: load, outstanding: 2), Target("b", load: load, outstanding: 1));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal("b", Pick(route).Label));
    }

    [Fact]
    public void Pick_LeastBusyWithoutAnnouncedLoads_FewestInFlight()
    {
        var route = Route(TargetStrategy.LeastBusy, Target("a", outstanding: 4), Target("b", outstanding: 0));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal("b", Pick(route).Label));
    }

    [Fact]
    public void Pick_TwoChoices_NeverTheBusiestOfThreeWhenTheOthersAreIdle()
    {
        var route = Route(TargetStrategy.PowerOfTwoChoices, Target("idle-1"), Target("busy", outstanding: 8), Target("idle-2"));

        var picked = Enumerable.Range(0, Draws).Select(_ => Pick(route).Label).ToList();

        // Two different targets are always compared, and at least one of any two is idle.
        Assert.DoesNotContain("busy", picked);
        Assert.Equal(["idle-1", "idle-2"], picked.Distinct().Order());
    }

    [Fact]
    public void Pick_TwoChoicesAmongEquals_SpreadsEvenly()
    {
        var route = Route(TargetStrategy.PowerOfTwoChoices, Target("a"), Target("b"), Target("c"));

        var counts = Enumerable.Range(0, Draws).Select(_ => Pick(route).Label).CountBy(label => label).ToDictionary();

        // A third each, standard deviation ~0.0033: ±0.03 is nine of them.
        Assert.All(["a", "b", "c"], label => Assert.InRange(counts.GetValueOrDefault(label) / (double)Draws, 0.303, 0.363));
    }

    private static RouteTarget Pick(ModelRoute route) => TargetPicker.Pick(route, 0, static (_, _) => true)!;

    private static ModelRoute Route(TargetStrategy strategy, params RouteTarget[] targets) => new("m", strategy, targets, [], []);

    private static RouteTarget Target(string label, int weight = 1, int outstanding = 0, WorkerLoad? load = null)
    {
        var address = $"http://{label}.test/v1/";
        var state = new TargetState(address, new TargetCircuit(new OutlierOptions(), TimeProvider.System), new RecentAttempts(TimeProvider.System)) { Load = load };
        for (var i = 0; i < outstanding; i++)
        {
            state.Enter();
        }

        return new RouteTarget(label, new Uri(address), "m", ApiKey: null, weight, state);
    }
}
