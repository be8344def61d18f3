namespace AiPlatform.Gateway.Routing;

/// <summary>Chooses one target of a model by its <see cref="TargetStrategy"/>, among those a predicate lets through.</summary>
public static class TargetPicker
{
    /// <summary>Above this many targets the candidates' indexes go to the heap instead of the stack.</summary>
    private const int StackLimit = 64;

    /// <summary>Null when no target is eligible.</summary>
    public static RouteTarget? Pick<TState>(ModelRoute route, TState state, Func<RouteTarget, TState, bool> eligible)
    {
        var targets = route.Targets;
        Span<int> candidates = targets.Count <= StackLimit ? stackalloc int[targets.Count] : new int[targets.Count];
        var count = 0;
        var totalWeight = 0;
        for (var i = 0; i < targets.Count; i++)
        {
            if (eligible(targets[i], state))
            {
                candidates[count++] = i;
                totalWeight += targets[i].Weight;
            }
        }

        if (count <= 1)
        {
            return count == 0 ? null : targets[candidates[0]];
        }

        candidates = candidates[..count];
        return route.Strategy switch
        {
            TargetStrategy.Weighted => targets[candidates[DrawByWeight(targets, candidates, totalWeight)]],
            TargetStrategy.LeastOutstanding => LeastOf(targets, candidates, static (a, b) => a.State.Outstanding.CompareTo(b.State.Outstanding)),
            TargetStrategy.LeastBusy => LeastOf(targets, candidates, CompareBusy),
            _ => TwoChoices(targets, candidates, totalWeight),
        };
    }

    /// <summary>
    /// The estimated queue first: what the worker last announced as waiting plus what this replica has in flight to it
    /// now. The announcement is up to a couple of seconds old and the same for every pick until the next one, so alone it
    /// would send everything to the worker that was idle a moment ago (measured: a third of the throughput lost to
    /// herding); the live count makes each pick see the ones before it. Then KV-cache use (how close the worker is to
    /// preempting), then requests in flight alone.
    /// </summary>
    internal static int CompareBusy(RouteTarget a, RouteTarget b)
    {
        var byQueue = EstimatedQueue(a).CompareTo(EstimatedQueue(b));
        if (byQueue != 0)
        {
            return byQueue;
        }

        var byCache = (a.State.Load?.KvCacheUsage ?? 0).CompareTo(b.State.Load?.KvCacheUsage ?? 0);
        return byCache != 0 ? byCache : a.State.Outstanding.CompareTo(b.State.Outstanding);
    }

    private static int EstimatedQueue(RouteTarget target) => target.State.Outstanding + (target.State.Load?.Waiting ?? 0);

    private static RouteTarget TwoChoices(IReadOnlyList<RouteTarget> targets, Span<int> candidates, int totalWeight)
    {
        var first = DrawByWeight(targets, candidates, totalWeight);
        var second = DrawByWeight(targets, candidates, totalWeight);
        if (second == first)
        {
            // Drawn twice: take the next candidate as the second, so two different targets are compared.
            second = (first + 1) % candidates.Length;
        }

        var a = targets[candidates[first]];
        var b = targets[candidates[second]];
        return CompareBusy(a, b) <= 0 ? a : b;
    }

    /// <summary>The least by <paramref name="compare"/>; ties go to a random one of the tied, so equal targets share the load.</summary>
    private static RouteTarget LeastOf(IReadOnlyList<RouteTarget> targets, Span<int> candidates, Func<RouteTarget, RouteTarget, int> compare)
    {
        var start = Random.Shared.Next(candidates.Length);
        var best = targets[candidates[start]];
        for (var i = 1; i < candidates.Length; i++)
        {
            var next = targets[candidates[(start + i) % candidates.Length]];
            if (compare(next, best) < 0)
            {
                best = next;
            }
        }

        return best;
    }

    /// <summary>An index into <paramref name="candidates"/>, drawn with probability proportional to the target's weight.</summary>
    private static int DrawByWeight(IReadOnlyList<RouteTarget> targets, Span<int> candidates, int totalWeight)
    {
        var point = Random.Shared.Next(totalWeight);
        for (var i = 0; i < candidates.Length; i++)
        {
            point -= targets[candidates[i]].Weight;
            if (point < 0)
            {
                return i;
            }
        }

        return candidates.Length - 1;
    }
}
