using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace AiPlatform.InferenceWorker.Tests.Support;

/// <summary>
/// A worker under test with its own configuration: in memory (TestServer) by default, or on a real Kestrel port
/// when a test needs real sockets (client disconnects, a second worker forwarding to it).
/// </summary>
public sealed partial class WorkerHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly bool _kestrel;

    private WorkerHost(Dictionary<string, string?> settings, bool kestrel, Action<IServiceCollection>? services)
    {
        _settings = settings;
        _kestrel = kestrel;
        _configureServices = services;
        if (kestrel)
        {
            // Kestrel binds a free loopback port itself: UseKestrel(0) makes the factory rewrite the server's address
            // list, which races with a minimal-hosting app that has already started ("cannot be modified after the
            // server has started") when the machine is busy.
            UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        }
    }

    /// <summary>A simulator worker with zero latency unless the settings say otherwise.</summary>
    public static WorkerHost Simulator(IDictionary<string, string?>? settings = null, bool kestrel = false, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Inference:Simulator:TimeToFirstTokenMs"] = "0",
            ["Inference:Simulator:InterTokenLatencyMs"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = new WorkerHost(all, kestrel, services);
        if (kestrel)
        {
            host.StartServer();
        }

        return host;
    }

    /// <summary>A worker whose vllm engine forwards to <paramref name="upstream"/>; on Kestrel so that disconnects are real.</summary>
    public static WorkerHost Vllm(Uri upstream, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Inference:Engine"] = "vllm",
            ["Inference:Vllm:BaseUrl"] = upstream.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = new WorkerHost(all, kestrel: true, services);
        host.StartServer();
        return host;
    }

    /// <summary>A worker whose onnx engine serves <paramref name="models"/> (name → folder); on Kestrel when asked, for real disconnects.</summary>
    public static WorkerHost Onnx(IReadOnlyDictionary<string, string> models, IDictionary<string, string?>? settings = null, bool kestrel = false)
    {
        var all = new Dictionary<string, string?> { ["Inference:Engine"] = "onnx" };
        var index = 0;
        foreach (var (name, folder) in models)
        {
            all[$"Inference:Onnx:Models:{index}:Name"] = name;
            all[$"Inference:Onnx:Models:{index++}:Path"] = folder;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = new WorkerHost(all, kestrel, services: null);
        if (kestrel)
        {
            host.StartServer();
        }

        return host;
    }

    /// <summary>The worker's root address (a real <c>http://127.0.0.1:port/</c> on Kestrel).</summary>
    public Uri BaseAddress
    {
        get
        {
            using var client = CreateClient();
            return client.BaseAddress!;
        }
    }

    public ChatClient ChatClient(string model = "sim") => new(model, new ApiKeyCredential("x"), SdkOptions());

    public EmbeddingClient EmbeddingClient(string model = "sim") => new(model, new ApiKeyCredential("x"), SdkOptions());

    public OpenAIModelClient ModelClient() => new(new ApiKeyCredential("x"), SdkOptions());

    public OpenAIClientOptions SdkOptions() => new()
    {
        Endpoint = new Uri(BaseAddress, "v1"),
        Transport = new HttpClientPipelineTransport(CreateClient()),
        NetworkTimeout = TimeSpan.FromSeconds(30),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    };

    /// <summary>One sample of <c>/metrics</c>, e.g. <c>Metric("vllm:generation_tokens_total")</c>.</summary>
    public async Task<long> MetricAsync(string name, string? finishedReason = null)
    {
        using var client = CreateClient();
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var labels = finishedReason is null ? "" : $"finished_reason=\"{finishedReason}\",";
        var match = Regex.Match(text, "^" + Regex.Escape(name) + @"\{" + Regex.Escape(labels) + @"model_name=""[^""]*""\} (\d+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{name} not found in:\n{text}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (_configureServices is not null)
        {
            builder.ConfigureTestServices(_configureServices);
        }
    }

    public override string ToString() => _kestrel ? $"Kestrel worker at {BaseAddress}" : "in-memory worker";
}
