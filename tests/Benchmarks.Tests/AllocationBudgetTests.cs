using Xunit.Abstractions;

namespace AiPlatform.Benchmarks.Tests;

/// <summary>
/// Each micro-benchmark of bench/Gateway.Benchmarks allocates no more than its checked-in budget plus the tolerance
/// (20%). Allocations are measured in-process, deterministically; times are BenchmarkDotNet's to report, never asserted.
/// </summary>
public sealed class AllocationBudgetTests(ITestOutputHelper output)
{
    public static TheoryData<string> Benchmarks => [.. BenchmarkCatalog.All.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void BudgetFile_ComparedWithBenchmarks_NamesEachBenchmarkOnce()
    {
        var budget = AllocationBudget.Load();

        var missing = BenchmarkCatalog.All.Keys.Except(budget.BytesPerCall.Keys).Order(StringComparer.Ordinal).ToList();
        var stale = budget.BytesPerCall.Keys.Except(BenchmarkCatalog.All.Keys).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, $"Benchmarks without a budget in {AllocationBudget.FilePath}: {string.Join(", ", missing)}");
        Assert.True(stale.Count == 0, $"Budgets for benchmarks that no longer exist: {string.Join(", ", stale)}");
        Assert.InRange(budget.Tolerance, 0, 0.2);
    }

    [Theory]
    [MemberData(nameof(Benchmarks))]
    public void Benchmark_MeasuredInProcess_AllocatesWithinBudget(string benchmark)
    {
        var budget = AllocationBudget.Load();
        var method = BenchmarkCatalog.All[benchmark];

        var measured = AllocationMeter.BytesPerCall(BenchmarkCatalog.CreateInstance(method), method);

        Assert.True(budget.BytesPerCall.TryGetValue(benchmark, out var allowed),
            $"{benchmark} has no budget in {AllocationBudget.FilePath}; it allocates {measured} B per call.");
        var limit = (long)Math.Floor(allowed * (1 + budget.Tolerance));
        output.WriteLine($"{benchmark}: {measured} B per call; budget {allowed} B, fails above {limit} B");
        if (measured < allowed * (1 - budget.Tolerance))
        {
            output.WriteLine($"Well under budget: lower it to {measured} in {AllocationBudget.FilePath} to keep the gain.");
        }

        Assert.True(measured <= limit,
            $"{benchmark} allocates {measured} B per call; its budget is {allowed} B (+{budget.Tolerance:P0} = {limit} B). " +
            $"Find the new allocation (dotnet run -c Release --project bench/Gateway.Benchmarks -- --filter '*{method.Name}*' " +
            "shows BenchmarkDotNet's Allocated column), or raise the budget in the same change with the reason.");
    }
}
