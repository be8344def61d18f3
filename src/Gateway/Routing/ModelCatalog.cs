using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using AiPlatform.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Routing;

/// <summary>The models the Gateway serves, resolved once at start from configuration and service discovery.</summary>
public sealed class ModelCatalog
{
    private readonly FrozenDictionary<string, ModelRoute> _routes;

    public ModelCatalog(IOptions<ModelRoutingOptions> options, ServiceEndpointResolver resolver, TimeProvider time)
    {
        Created = time.GetUtcNow().ToUnixTimeSeconds();
        _routes = options.Value.Models.ToFrozenDictionary(
            m => m.Name,
            m => new ModelRoute(m.Name, [.. m.Targets.Select(t => Resolve(m.Name, t, resolver))]),
            StringComparer.Ordinal);
        Names = [.. options.Value.Models.Select(m => m.Name)];
    }

    /// <summary>The configured model names, in configuration order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Unix time the catalog was loaded, reported as each model's <c>created</c>.</summary>
    public long Created { get; }

    public bool TryGetRoute(string model, [NotNullWhen(true)] out ModelRoute? route) => _routes.TryGetValue(model, out route);

    private static IReadOnlyList<RouteTarget> Resolve(string model, TargetOptions target, ServiceEndpointResolver resolver)
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

        var service = target.Service!;
        var endpoints = resolver.Resolve(service, "https+http");
        if (endpoints.Count == 0)
        {
            throw new InvalidOperationException(
                $"Model '{model}' is routed to service '{service}', but no address is configured for it " +
                $"(set services__{service}__http__0, e.g. http://127.0.0.1:8082).");
        }

        return [.. endpoints.Select(e => new RouteTarget(
            $"{target.Name ?? service}@{e.Authority}", new Uri(e, "v1/"), upstreamModel, apiKey))];
    }
}
