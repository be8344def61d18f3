extern alias worker;

using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiPlatform.Gateway.Tests.Support;

/// <summary>
/// A real InferenceWorker running the simulator on a real Kestrel port of 127.0.0.1, instant unless the settings say
/// otherwise. It does not announce itself unless given <c>ConnectionStrings:cache</c>. Disposing it stops it gracefully
/// (requests in flight finish, the port closes), as a worker taken out of a deployment stops.
/// </summary>
internal sealed class SimulatorWorker : IAsyncDisposable
{
    private readonly WebApplicationFactory<worker::Program> _factory;
    private int _stopped;

    private SimulatorWorker(WebApplicationFactory<worker::Program> factory, Uri url)
    {
        _factory = factory;
        Url = url;
    }

    /// <summary>The worker's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Its OpenAI API, as a <c>BaseUrl</c> target is written.</summary>
    public string ApiUrl => new Uri(Url, "v1").ToString();

    /// <summary><c>127.0.0.1:port</c>, the part of a target's label that tells workers apart.</summary>
    public string Authority => Url.Authority;

    public static SimulatorWorker Start(params (string Key, string Value)[] settings)
    {
        var factory = new WebApplicationFactory<worker::Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Inference:Simulator:TimeToFirstTokenMs", "0");
            web.UseSetting("Inference:Simulator:InterTokenLatencyMs", "0");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            // Two cores run the whole suite: per-request logging of a few hundred requests is noise that costs CPU.
            web.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        return new SimulatorWorker(factory, factory.StartOnLoopback());
    }

    /// <summary>Stops the worker; returns once its port is closed. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _factory.DisposeAsync();
        }
    }
}
