namespace AiPlatform.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Rewrites requests to a logical address (<c>http://usageapi/v1/...</c>) to one of the service's configured
/// endpoints, round-robin when there are several. Hosts that are not configured services pass unchanged,
/// so a client can also be given a real address.
/// </summary>
public sealed class ServiceDiscoveryHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    private int _next;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            var endpoints = resolver.Resolve(uri.Host, uri.Scheme);
            if (endpoints.Count > 0)
            {
                var endpoint = endpoints[(int)((uint)Interlocked.Increment(ref _next) % (uint)endpoints.Count)];
                request.RequestUri = Rebase(uri, endpoint);
            }
        }

        return base.SendAsync(request, cancellationToken);
    }

    internal static Uri Rebase(Uri logical, Uri endpoint)
    {
        var builder = new UriBuilder(logical)
        {
            Scheme = endpoint.Scheme,
            Host = endpoint.Host,
            Port = endpoint.Port,
        };
        return builder.Uri;
    }
}
