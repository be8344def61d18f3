using AiPlatform.ServiceDefaults.Configuration;
using AiPlatform.ServiceDefaults.Health;
using Microsoft.Extensions.ServiceDiscovery;

namespace AiPlatform.Dashboard.Health;

/// <summary>The state of one backend endpoint as the dashboard last saw it.</summary>
public sealed record EndpointHealth(string Service, Uri Address, string Status, TimeSpan? Latency);

/// <summary>
/// Asks every configured backend (each replica of each service the dashboard references) for its
/// <c>/health</c>, in parallel and bounded by a short timeout, so that one hung service does not stall the page.
/// Each replica is probed at its own address, so the page asks discovery for every endpoint rather than sending
/// one request to the logical name (which would reach one replica, round-robin).
/// </summary>
public sealed class PlatformHealth(ServiceEndpointResolver resolver, IHttpClientFactory httpClientFactory, TimeProvider time)
{
    public const string HttpClientName = "health-probe";
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private static readonly string[] s_services =
        [KnownResourceNames.Gateway, KnownResourceNames.UsageApi, KnownResourceNames.Inference];

    public async Task<IReadOnlyList<EndpointHealth>> CheckAllAsync(CancellationToken cancellationToken)
    {
        var probes = new List<Task<EndpointHealth>>();
        foreach (var service in s_services)
        {
            var source = await resolver.GetEndpointsAsync("https+http://" + service, cancellationToken);
            // Configured endpoints are URIs (services__{name}__http__N); a service that is not configured comes back
            // as its bare name, passed through by discovery, and has nothing to probe.
            foreach (var endpoint in source.Endpoints)
            {
                if (endpoint.EndPoint is UriEndPoint { Uri: var address })
                {
                    probes.Add(ProbeAsync(service, address, cancellationToken));
                }
            }
        }

        return await Task.WhenAll(probes);
    }

    private async Task<EndpointHealth> ProbeAsync(string service, Uri address, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(ProbeTimeout);
        var started = time.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(new Uri(address, HealthEndpoints.HealthPath), cts.Token);
            var status = await response.Content.ReadAsStringAsync(cts.Token);
            return new EndpointHealth(service, address, status.Length is > 0 and < 32 ? status : response.StatusCode.ToString(), time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new EndpointHealth(service, address, "Timeout", null);
        }
        catch (HttpRequestException)
        {
            return new EndpointHealth(service, address, "Unreachable", null);
        }
    }
}
