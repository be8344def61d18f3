namespace AiPlatform.Benchmarks.Tests;

/// <summary>The bench scripts' smoke tests run one after the other: each starts a fleet of servers on a small machine.</summary>
[CollectionDefinition(Name)]
public sealed class BenchScriptCollection
{
    public const string Name = "bench scripts";
}
