using System.Reflection;
using System.Runtime.CompilerServices;

namespace AiPlatform.Benchmarks.Tests;

/// <summary>
/// Bytes a benchmark method allocates per call, measured on this thread with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>: exact, unlike times, so it can be asserted.
/// The smallest of a few batches is taken, so a one-time allocation (a lazy static, a pool's first rent) does not count.
/// </summary>
internal static class AllocationMeter
{
    private const int WarmupCalls = 500;
    private const int CallsPerBatch = 2_000;
    private const int Batches = 5;

    private static object? s_sink;

    public static long BytesPerCall(object instance, MethodInfo benchmark)
    {
        if (benchmark.ReturnType == typeof(void))
        {
            return Measure(benchmark.CreateDelegate<Action>(instance));
        }

        // A typed Func<T> so that a value-type result is not boxed inside the measured loop.
        var measure = typeof(AllocationMeter).GetMethod(nameof(MeasureFunc), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(benchmark.ReturnType);
        var call = benchmark.CreateDelegate(typeof(Func<>).MakeGenericType(benchmark.ReturnType), instance);
        return (long)measure.Invoke(null, [call])!;
    }

    private static long Measure(Action call) => MeasureFunc(() =>
    {
        call();
        return 0;
    });

    private static long MeasureFunc<T>(Func<T> call)
    {
        for (var i = 0; i < WarmupCalls; i++)
        {
            Consume(call());
        }

        var best = long.MaxValue;
        for (var batch = 0; batch < Batches; batch++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < CallsPerBatch; i++)
            {
                Consume(call());
            }

            best = Math.Min(best, (GC.GetAllocatedBytesForCurrentThread() - before) / CallsPerBatch);
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Consume<T>(T value)
    {
        if (typeof(T).IsValueType)
        {
            return;
        }

        s_sink = value;
    }
}
