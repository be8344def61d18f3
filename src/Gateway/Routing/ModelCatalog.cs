using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using AiPlatform.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;

namespace AiPlatform.Gateway.Routing;

/// <summary>
/// The models the Gateway serves and where each goes. Targets named by service are resolved through service
/// discovery by <see cref="LoadAsync"/>, which <see cref="ModelCatalogRefresher"/> calls at start and again whenever
/// discovery reports a change; requests only read the last table loaded, so the request path never waits on discovery.
/// </summary>
public sealed class ModelCatalog(IOptions<ModelRoutingOptions> options, ServiceEndpointResolver resolver, TimeProvider time)
{
    /// <summary>Aspire's preference order: an <c>https</c> endpoint when the service has one, else <c>http</c>.</summary>
    private const string SchemePreference = "https+http://";

    private readonly string[] _services = [.. options.Value.Models
        .SelectMany(m => m.Targets)
        .Select(t => t.Service)
        .OfType<string>()
        .Distinct(StringComparer.OrdinalIgnoreCase)];

    private volatile FrozenDictionary<string, ModelRoute> _routes = FrozenDictionary<string, ModelRoute>.Empty;

    /// <summary>The configured model names, in configuration order.</summary>
    public IReadOnlyList<string> Names { get; } = [.. options.Value.Models.Select(m => m.Name)];

    /// <summary>Unix time the catalog was created, reported as each model's <c>created</c>.</summary>
    public long Created { get; } = time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>False when every target is a fixed <c>BaseUrl</c>: then nothing discovery reports can change the table.</summary>
    public bool UsesServiceDiscovery => _services.Length > 0;

    public bool TryGetRoute(string model, [NotNullWhen(true)] out ModelRoute? route) => _routes.TryGetValue(model, out route);

    /// <summary>
    /// Resolves every target and puts the new table in place at once. Throws, keeping the table in use, when a
    /// service has no address. Returns the token that fires when any of the services' endpoints may have changed.
    /// Not thread-safe: one caller at a time (the refresher).
    /// </summary>
    public async Task<IChangeToken> LoadAsync(CancellationToken cancellationToken)
    {
        var sources = new Dictionary<string, ServiceEndpointSource>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in _services)
        {
            sources[service] = await resolver.GetEndpointsAsync(SchemePreference + service, cancellationToken);
        }

        _routes = options.Value.Models.ToFrozenDictionary(
            m => m.Name,
            m => new ModelRoute(m.Name, [.. m.Targets.Select(t => Resolve(m.Name, t, sources))]),
            StringComparer.Ordinal);
        return new CompositeChangeToken([.. sources.Values.Select(s => s.ChangeToken)]);
    }

    private static IReadOnlyList<RouteTarget> Resolve(string model, TargetOptions target, Dictionary<string, ServiceEndpointSource> sources)
    {
        var upstreamModel = string.IsNullOrEmpty(target.Model) ? model : target.Model;
        var apiKey = target.ApiKeyEnvironmentVariable is { Length: > 0 } variable
            ? Environment.GetEnvironmentVariable(variable)
            : target.ApiKey;

        if (target.BaseUrl is { Length: > 0 } baseUrl)
        {
            var address = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
            return [new RouteTarget(target.Name ?? address.Authority, address, upstreamModel, apiKey)];
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
            ? new RouteTarget($"{target.Name ?? service}@{uri.Authority}", new Uri(uri, "v1/"), upstreamModel, apiKey)
            : throw new InvalidOperationException(
                $"Service '{service}' has an endpoint '{e.EndPoint}' that is not an absolute URI; " +
                $"set services__{service}__http__N to one such as http://127.0.0.1:8082."))];
    }
}
