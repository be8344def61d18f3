using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// The one connection pool every forwarded request uses, made by YARP's client factory (no proxy, no redirects, no
/// cookies, no decompression, its trace-context propagator) with our connect timeout. No retry or timeout handlers
/// sit in front of it: a generic retry would replay streamed POSTs, and the Gateway decides retries itself, before the
/// first byte.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    public UpstreamClient(IOptions<ForwardingOptions> options, ILogger<ForwarderHttpClientFactory> logger)
    {
        Invoker = new Factory(options.Value, logger).CreateClient(new ForwarderHttpClientContext { NewConfig = HttpClientConfig.Empty });
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();

    private sealed class Factory(ForwardingOptions options, ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
    {
        protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
        {
            base.ConfigureHandler(context, handler);
            handler.ConnectTimeout = options.ConnectTimeout;
            handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60);
            // Re-resolve DNS now and then, so a target moved behind the same name is found again.
            handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        }
    }
}
