using System.Reflection;
using AiPlatform.Gateway.Benchmarks;
using BenchmarkDotNet.Attributes;

namespace AiPlatform.Benchmarks.Tests;

/// <summary>The <c>[Benchmark]</c> methods of bench/Gateway.Benchmarks, named <c>Class.Method</c> as in the budget file.</summary>
internal static class BenchmarkCatalog
{
    public static IReadOnlyDictionary<string, MethodInfo> All { get; } = Discover();

    private static Dictionary<string, MethodInfo> Discover()
    {
        var benchmarks = new Dictionary<string, MethodInfo>(StringComparer.Ordinal);
        foreach (var type in typeof(Fixtures).Assembly.GetExportedTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (method.GetCustomAttribute<BenchmarkAttribute>() is not null)
                {
                    benchmarks.Add($"{type.Name}.{method.Name}", method);
                }
            }
        }

        return benchmarks;
    }

    /// <summary>A new instance of the method's class, set up as BenchmarkDotNet would (<c>[GlobalSetup]</c>).</summary>
    public static object CreateInstance(MethodInfo benchmark)
    {
        var type = benchmark.DeclaringType!;
        var instance = Activator.CreateInstance(type)!;
        foreach (var setup in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (setup.GetCustomAttribute<GlobalSetupAttribute>() is { } attribute &&
                (attribute.Targets is null || attribute.Targets.Length == 0 || attribute.Targets.Contains(benchmark.Name)))
            {
                setup.Invoke(instance, null);
            }
        }

        return instance;
    }
}
