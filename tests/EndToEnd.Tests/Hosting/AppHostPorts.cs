using AiPlatform.Testing;

namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>The six ports of one AppHost run, each free when chosen, so a run never collides with a developer's own.</summary>
public sealed record AppHostPorts(int Gateway, int UsageApi, int Inference, int Dashboard, int Redis, int Postgres)
{
    /// <summary>Worker replicas take the ports after <see cref="Inference"/> (8082, 8083, …), so those must be free too.</summary>
    public static AppHostPorts Allocate(int inferenceReplicas = 1)
    {
        HashSet<int> ports = [];
        while (ports.Count < 6)
        {
            var port = FreePort.Next();
            var isInference = ports.Count == 2;
            if (isInference && Enumerable.Range(port + 1, inferenceReplicas - 1).Any(next => next > 65535 || FreePort.IsInUse(next) || ports.Contains(next)))
            {
                continue;
            }

            ports.Add(port);
        }

        var p = ports.ToArray();
        return new AppHostPorts(p[0], p[1], p[2], p[3], p[4], p[5]);
    }

    public IReadOnlyList<int> All => [Gateway, UsageApi, Inference, Dashboard, Redis, Postgres];

    /// <summary>127.0.0.1 rather than localhost: the test's client must not try ::1 first.</summary>
    public Uri UrlOf(int port) => new($"http://127.0.0.1:{port}");

    public IReadOnlyList<string> Arguments =>
    [
        "--gateway-port", $"{Gateway}",
        "--usageapi-port", $"{UsageApi}",
        "--inference-port", $"{Inference}",
        "--dashboard-port", $"{Dashboard}",
        "--redis-port", $"{Redis}",
        "--postgres-port", $"{Postgres}",
    ];
}
