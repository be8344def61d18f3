using System.Diagnostics;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace AiPlatform.Fuzz.Tests;

/// <summary>
/// Runs a property for a wall-clock budget instead of a fixed count: rounds of <see cref="Check.One{T}(Config, T)"/>
/// with fresh seeds until the budget is spent, so the tests stay bounded and <c>fuzz/run.sh</c> can run the same
/// properties for ten minutes each. <c>FUZZ_SECONDS</c> sets the budget per property (default 3 s, so the eleven
/// properties take under a minute on two cores); <c>FUZZ_REPORT</c>, when set, names a file that gets one
/// tab-separated line per property (target, inputs, failures, seconds) for the script's table.
/// </summary>
internal static class FuzzRunner
{
    private const double DefaultSeconds = 3;
    private const int InputsPerRound = 200;
    private const int MaxFailures = 3;

    /// <summary>A hang is reported when a property outlives its budget by this much (one input stuck).</summary>
    private static readonly TimeSpan s_hangGrace = TimeSpan.FromSeconds(30);

    private static readonly object s_reportLock = new();

    public static TimeSpan Budget
    {
        get
        {
            var text = Environment.GetEnvironmentVariable("FUZZ_SECONDS");
            return TimeSpan.FromSeconds(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? seconds
                : DefaultSeconds);
        }
    }

    /// <summary>
    /// Checks <paramref name="property"/> (which throws when violated) on inputs of <paramref name="arbitrary"/> until the
    /// budget is spent, then fails the test with the first shrunk counterexamples, if any.
    /// </summary>
    public static void Run<T>(ITestOutputHelper output, string target, Arbitrary<T> arbitrary, Action<T> property, int maxSize = 100)
    {
        var budget = Budget;
        long inputs = 0;
        object? current = null;
        var failures = new List<string>();
        var watch = Stopwatch.StartNew();
        var body = Prop.ForAll(arbitrary, (T input) =>
        {
            Interlocked.Increment(ref inputs);
            Volatile.Write(ref current, input);
            property(input);
        });

        var run = Task.Run(() =>
        {
            var round = 0;
            while (watch.Elapsed < budget && failures.Count < MaxFailures)
            {
                // Sizes sweep from small to large in every round, so both shallow and deep inputs are tried throughout.
                var config = Config.QuickThrowOnFailure
                    .WithMaxTest(InputsPerRound)
                    .WithQuietOnSuccess(true)
                    .WithStartSize(round % 4)
                    .WithEndSize(maxSize);
                try
                {
                    Check.One(config, body);
                }
                catch (Exception ex)
                {
                    failures.Add(ex.Message);
                }

                round++;
            }
        });

        if (!run.Wait(budget + s_hangGrace))
        {
            Assert.Fail($"{target}: no answer within {budget + s_hangGrace}; the input in progress was: {Describe(Volatile.Read(ref current))}");
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{target}\t{inputs}\t{failures.Count}\t{watch.Elapsed.TotalSeconds:F1}");
        output.WriteLine($"{target}: {inputs} inputs, {failures.Count} failures, {watch.Elapsed.TotalSeconds:F1} s");
        if (Environment.GetEnvironmentVariable("FUZZ_REPORT") is { Length: > 0 } report)
        {
            lock (s_reportLock)
            {
                File.AppendAllText(report, line + Environment.NewLine);
            }
        }

        Assert.True(failures.Count == 0, $"{target}: {failures.Count} failing round(s) in {inputs} inputs:\n{string.Join("\n---\n", failures)}");
    }

    private static string Describe(object? input) => input switch
    {
        byte[] bytes => Convert.ToBase64String(bytes),
        null => "(none)",
        _ => input.ToString() ?? "(null)",
    };
}
