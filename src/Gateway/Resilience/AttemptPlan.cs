using AiPlatform.Gateway.Routing;

namespace AiPlatform.Gateway.Resilience;

/// <summary>
/// Which target a request tries next. A pass goes through the requested model's available targets, then its fallback
/// models' (resolved when reached, one level deep), each target once; a new pass starts over when attempts remain. A
/// target is available unless it is ejected or cooling down after a 429; one whose cool-down ends within the cap
/// (<paramref name="retryAfterCap"/>, in timestamp units) is waited for when nothing else is left. When nothing at all is available the plan
/// does not give up: it tries the requested model's targets anyway ("panic", as Envoy and YARP do), because a target
/// that may answer beats a certain 503. One request's plan; not thread-safe.
/// </summary>
internal sealed class AttemptPlan(ModelRoute requested, ModelCatalog catalog, long retryAfterCap)
{
    private readonly List<RouteTarget> _tried = new(4);
    private IReadOnlyList<string> _fallbacks = requested.Fallbacks;
    private ModelRoute _first = requested;
    private int _index;
    private long _now;

    /// <summary>Whether the plan went round once already, so the next target has been tried before: time to back off.</summary>
    public bool Revisiting { get; private set; }

    /// <summary>Whether the plan gives targets although none is available (every one ejected or cooling down).</summary>
    public bool Panic { get; private set; }

    public bool TryNext(long now, out ModelRoute model, out RouteTarget target)
    {
        _now = now;
        for (var pass = 0; !Panic && pass < 2; pass++)
        {
            while (RouteAt(_index) is { } route)
            {
                if (TargetPicker.Pick(route, this, static (t, plan) => !plan._tried.Contains(t) && t.State.IsAvailable(plan._now)) is { } next)
                {
                    _tried.Add(next);
                    (model, target) = (route, next);
                    return true;
                }

                _index++;
            }

            // Before going round again, a target due back from its 429 soon beats one that just failed.
            if (SoonestCoolingDown() is { } cooling)
            {
                _tried.Add(cooling.Target);
                (model, target) = cooling;
                return true;
            }

            if (_tried.Count == 0)
            {
                break;
            }

            Revisiting = true;
            _tried.Clear();
            _index = 0;
        }

        // Nothing was available from the start: panic, and go through the requested model's targets as they are.
        Panic = Panic || !Revisiting;
        if (Panic && TargetPicker.Pick(_first, this, static (t, plan) => !plan._tried.Contains(t)) is { } anyway)
        {
            _tried.Add(anyway);
            (model, target) = (_first, anyway);
            return true;
        }

        (model, target) = (null!, null!);
        return false;
    }

    /// <summary>
    /// The prompt is too long for the current model: go on with its context-window fallbacks instead (those of the
    /// requested model when they are what failed). False when it has none.
    /// </summary>
    public bool SwitchToContextWindowFallbacks(ModelRoute current)
    {
        var names = current.ContextWindowFallbacks.Count > 0 ? current.ContextWindowFallbacks : _first.ContextWindowFallbacks;
        var start = names.Select(name => catalog.TryGetRoute(name, out var route) ? route : null).FirstOrDefault(route => route is not null);
        if (start is null || ReferenceEquals(start, current))
        {
            return false;
        }

        _first = start;
        _fallbacks = [.. names.SkipWhile(name => name != start.Name).Skip(1)];
        _index = 0;
        _tried.Clear();
        Revisiting = false;
        return true;
    }

    /// <summary>Of the chain's targets cooling down after a 429 and due back within the cap, the one due first.</summary>
    private (ModelRoute Model, RouteTarget Target)? SoonestCoolingDown()
    {
        (ModelRoute Model, RouteTarget Target)? soonest = null;
        IEnumerable<ModelRoute> chain = [_first, .. _fallbacks.Select(name => catalog.TryGetRoute(name, out var route) ? route : null).OfType<ModelRoute>()];
        foreach (var route in chain)
        {
            foreach (var target in route.Targets)
            {
                var until = target.State.CoolDownUntil;
                if (until > _now && until - _now <= retryAfterCap && !_tried.Contains(target) && target.State.Circuit.AllowsRequest(_now)
                    && (soonest is null || until < soonest.Value.Target.State.CoolDownUntil))
                {
                    soonest = (route, target);
                }
            }
        }

        return soonest;
    }

    /// <summary>The model at a place in the chain: the first, then each fallback the catalog knows (unknown ones are skipped).</summary>
    private ModelRoute? RouteAt(int index)
    {
        if (index == 0)
        {
            return _first;
        }

        for (var i = index - 1; i < _fallbacks.Count; i++)
        {
            if (catalog.TryGetRoute(_fallbacks[i], out var route))
            {
                _index = i + 1;
                return route;
            }
        }

        return null;
    }
}
