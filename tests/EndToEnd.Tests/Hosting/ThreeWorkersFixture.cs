namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>The platform with three InferenceWorker replicas behind the <c>sim</c> model, for tests that take one away.</summary>
public sealed class ThreeWorkersFixture() : AppHostFixture(inferenceReplicas: 3)
{
    /// <summary>The URL a replica announces and the Gateway knows it by (the AppHost gives replica i the port after replica i-1's).</summary>
    public string WorkerAddress(int replica) => $"http://localhost:{Ports.Inference + replica}";
}
