using System.Net;
using Yarp.ReverseProxy.Forwarder;

// Forwards every request to BareProxy:Upstream (e.g. http://127.0.0.1:8080) the way the Gateway's forwarder does: one
// SocketsHttpHandler without proxy, cookies, redirects or decompression, HTTP/1.1 to the upstream, every header copied
// both ways (YARP's default transformer).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddHttpForwarder();
var app = builder.Build();

var upstream = app.Configuration["BareProxy:Upstream"]
    ?? throw new InvalidOperationException("Set BareProxy:Upstream (environment BareProxy__Upstream) to the upstream's base address.");
using var client = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    EnableMultipleHttp2Connections = true,
    ActivityHeadersPropagator = null,
});
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
var requestConfig = new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };

// A failed exchange is answered 502 by the forwarder itself; nothing more to do with its error here.
app.Map("/{**path}", async (HttpContext context) =>
{
    await forwarder.SendAsync(context, upstream, client, requestConfig, HttpTransformer.Default);
});
app.Run();
