using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// The one connection pool every forwarded request uses: an <see cref="HttpMessageInvoker"/> over a
/// <see cref="SocketsHttpHandler"/> configured like YARP's forwarder (no proxy, no redirects, no cookies,
/// no decompression: bytes pass as they come). No retry or timeout handlers sit in front of it: a generic
/// retry would replay streamed POSTs, and the Gateway decides retries itself, before the first byte.
/// </summary>
public sealed class UpstreamHttp : IDisposable
{
    public UpstreamHttp(IOptions<ForwardingOptions> options)
    {
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.Value.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            // Re-resolve DNS now and then, so a target moved behind the same name is found again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ActivityHeadersPropagator = DistributedContextPropagator.CreateDefaultPropagator(),
        }, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
