using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiPlatform.Benchmarks.Tests;

/// <summary>bench/Gateway.Benchmarks/allocation-budget.json: bytes per call for each benchmark, and the tolerance.</summary>
internal sealed class AllocationBudget
{
    public static string FilePath { get; } = Path.Combine(RepositoryRoot.Path, "bench", "Gateway.Benchmarks", "allocation-budget.json");

    [JsonPropertyName("tolerance")]
    public double Tolerance { get; init; }

    [JsonPropertyName("bytes_per_call")]
    public Dictionary<string, long> BytesPerCall { get; init; } = [];

    public static AllocationBudget Load()
    {
        var options = new JsonSerializerOptions { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        return JsonSerializer.Deserialize<AllocationBudget>(File.ReadAllText(FilePath), options)
            ?? throw new InvalidOperationException($"{FilePath} is empty.");
    }
}
