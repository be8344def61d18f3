namespace AiPlatform.InferenceWorker.Tests.Support;

/// <summary>One zero-latency simulator worker shared by a test class.</summary>
public sealed class SimulatorFixture : IDisposable
{
    public WorkerHost Host { get; } = WorkerHost.Simulator();

    public void Dispose() => Host.Dispose();
}
