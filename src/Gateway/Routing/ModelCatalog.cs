using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using AiPlatform.Gateway.Resilience;
using AiPlatform.ServiceDefaults.Configuration;
using AiPlatform.ServiceDefaults.Workers;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;

namespace AiPlatform.Gateway.Routing;

/// <summary>
/// The models the Gateway serves and where each goes: the configured models and targets (services resolved through
/// service discovery, fixed base URLs) joined by the workers that announce themselves. <see cref="ModelCatalogRefresher"/>
/// loads it at start and again on every change; requests only read the last table loaded, so the request path never
/// waits on discovery, configuration or Redis. A target's <see cref="TargetState"/> belongs to its address and survives
/// reloads, so a reload forgets neither requests in flight nor an ejection.
/// </summary>
public sealed class ModelCatalog(ServiceEndpointResolver resolver, IOptions<ResilienceOptions> resilience, TimeProvider time)
{
    /// <summary>Aspire's preference order: an <c>https</c> endpoint when the service has one, else <c>http</c>.</summary>
    private const string SchemePreference = "https+http://";

    private readonly ConcurrentDictionary<string, TargetState> _states = new(StringComparer.Ordinal);
    private volatile Table _table = new(FrozenDictionary<string, ModelRoute>.Empty, [], false);

    /// <summary>The model names served, configured ones first, in configuration order.</summary>
    public IReadOnlyList<string> Names => _table.Names;

    /// <summary>Unix time the catalog was created, reported as each model's <c>created</c>.</summary>
    public long Created { get; } = time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Some model takes pass-through requests; when none does, every unknown path is a plain 404.</summary>
    public bool AnyPassThrough => _table.AnyPassThrough;

    public bool TryGetRoute(string model, [NotNullWhen(true)] out ModelRoute? route) => _table.Routes.TryGetValue(model, out route);

    /// <summary>Every model's route in the order of <see cref="Names"/>, from one table: a reload meanwhile does not mix two.</summary>
    public IEnumerable<ModelRoute> Routes
    {
        get
        {
            var table = _table;
            return table.Names.Select(name => table.Routes[name]);
        }
    }

    /// <summary>
    /// Builds the table from <paramref name="options"/> and <paramref name="workers"/> and puts it in place at once.
    /// Throws, keeping the table in use, when a service has no address. Returns the token that fires when any of the
    /// services' endpoints may have changed. One caller at a time (the refresher).
    /// </summary>
    public async Task<IChangeToken> LoadAsync(ModelRoutingOptions options, IReadOnlyList<WorkerAnnouncement> workers, CancellationToken cancellationToken)
    {
        var services = options.Models.SelectMany(m => m.Targets).Select(t => t.Service).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase);
        var sources = new Dictionary<string, ServiceEndpointSource>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in services)
        {
            sources[service] = await resolver.GetEndpointsAsync(SchemePreference + service, cancellationToken);
        }

        var routes = new Dictionary<string, ModelRoute>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var model in options.Models)
        {
            var targets = model.Targets.SelectMany(t => Resolve(model.Name, t, sources)).ToList();
            targets.AddRange(Announced(model.Name, workers, targets));
            routes[model.Name] = new ModelRoute(model.Name, model.Strategy ?? options.DefaultStrategy, targets, model.Fallbacks, model.ContextWindowFallbacks)
            {
                PassThrough = model.PassThrough,
            };
            names.Add(model.Name);
        }

        foreach (var name in workers.SelectMany(w => w.Models).Distinct(StringComparer.Ordinal).Where(name => !routes.ContainsKey(name)))
        {
            routes[name] = new ModelRoute(name, options.DefaultStrategy, [.. Announced(name, workers, [])], [], []);
            names.Add(name);
        }

        _table = new Table(routes.ToFrozenDictionary(StringComparer.Ordinal), names, routes.Values.Any(r => r.PassThrough));
        ForgetUnusedStates(routes.Values);
        ApplyLoads(workers);
        return new CompositeChangeToken([.. sources.Values.Select(s => s.ChangeToken)]);
    }

    /// <summary>Gives each announcing worker's target its latest load; cheap, called on every directory refresh.</summary>
    public void ApplyLoads(IReadOnlyList<WorkerAnnouncement> workers)
    {
        foreach (var worker in workers)
        {
            if (_states.TryGetValue(ApiAddress(worker).AbsoluteUri, out var state))
            {
                state.Load = new WorkerLoad(worker.Running, worker.Waiting, worker.KvCacheUsage);
            }
        }
    }

    /// <summary>The announced workers serving <paramref name="model"/> at an address no static target of it has already.</summary>
    private IEnumerable<RouteTarget> Announced(string model, IReadOnlyList<WorkerAnnouncement> workers, List<RouteTarget> configured) =>
        workers
            .Where(w => w.Models.Contains(model, StringComparer.Ordinal))
            .Select(w => (Worker: w, Address: ApiAddress(w)))
            .Where(w => !configured.Exists(t => t.BaseAddress == w.Address))
            .Select(w => Target($"{w.Worker.Engine}@{w.Address.Authority}", w.Address, model, apiKey: null, weight: 1, w.Worker.Engine, announced: true));

    private IEnumerable<RouteTarget> Resolve(string model, TargetOptions target, Dictionary<string, ServiceEndpointSource> sources)
    {
        var upstreamModel = string.IsNullOrEmpty(target.Model) ? model : target.Model;
        var apiKey = target.ApiKeyEnvironmentVariable is { Length: > 0 } variable
            ? Environment.GetEnvironmentVariable(variable)
            : target.ApiKey;

        if (target.BaseUrl is { Length: > 0 } baseUrl)
        {
            var address = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
            return [Target(target.Name ?? address.Authority, address, upstreamModel, apiKey, target.Weight, target.Provider, announced: false, target.NativeResponses)];
        }

        // Each configured endpoint (services__{service}__http__0, __1, …: one per replica) is a target of its own,
        // so that the route spreads load across the replicas and passes over one that cannot be reached.
        var service = target.Service!;
        var endpoints = sources[service].Endpoints;
        if (endpoints is [{ EndPoint: DnsEndPoint { Port: 0 } only }] && string.Equals(only.Host, service, StringComparison.OrdinalIgnoreCase))
        {
            // Discovery's last resort passes the name through unresolved: nothing is configured for the service.
            throw new InvalidOperationException(
                $"Model '{model}' is routed to service '{service}', but no address is configured for it " +
                $"(set {KnownConfigNames.ServiceAddressVariable(service, 0)}, e.g. http://127.0.0.1:8082).");
        }

        return [.. endpoints.Select(e => e.EndPoint is UriEndPoint { Uri: var uri }
            ? Target($"{target.Name ?? service}@{uri.Authority}", new Uri(uri, "v1/"), upstreamModel, apiKey, target.Weight, target.Provider, announced: false,
                target.NativeResponses)
            : throw new InvalidOperationException(
                $"Service '{service}' has an endpoint '{e.EndPoint}' that is not an absolute URI; " +
                $"set services__{service}__http__N to one such as http://127.0.0.1:8082."))];
    }

    private RouteTarget Target(string label, Uri address, string upstreamModel, string? apiKey, int weight, string provider, bool announced,
        bool nativeResponses = false) =>
        new(label, address, upstreamModel, apiKey, weight,
            _states.GetOrAdd(address.AbsoluteUri, key => new TargetState(key, new TargetCircuit(resilience.Value.Outliers, time), new RecentAttempts(time))))
        {
            Provider = provider,
            Announced = announced,
            NativeResponses = nativeResponses,
        };

    private void ForgetUnusedStates(IEnumerable<ModelRoute> routes)
    {
        var used = routes.SelectMany(r => r.Targets).Select(t => t.State.Address).ToHashSet(StringComparer.Ordinal);
        foreach (var address in _states.Keys.Where(a => !used.Contains(a)))
        {
            _states.TryRemove(address, out _);
        }
    }

    /// <summary>The OpenAI API under a worker's announced root, as a static target of the same worker is addressed.</summary>
    private static Uri ApiAddress(WorkerAnnouncement worker) => new(new Uri(worker.Address), "v1/");

    private sealed record Table(FrozenDictionary<string, ModelRoute> Routes, IReadOnlyList<string> Names, bool AnyPassThrough);
}
