using System.Globalization;

namespace AiPlatform.LedgerBench;

/// <summary>Command-line options; every one has a default, so the bench runs with none.</summary>
public sealed record BenchOptions
{
    /// <summary>Events per POST.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>How long each ingestion run lasts, after a short warm-up.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Concurrent senders, one ingestion run each (a Gateway sends one batch at a time; several Gateways send in parallel).</summary>
    public int[] Concurrency { get; init; } = [1, 2, 4];

    /// <summary>Records generated for the analytics queries.</summary>
    public int Records { get; init; } = 1_000_000;

    /// <summary>Over how many days before "now" the generated records spread.</summary>
    public int Days { get; init; } = 7;

    /// <summary>Timed runs of each analytics query (after two untimed ones).</summary>
    public int Runs { get; init; } = 20;

    /// <summary>An existing Postgres to use (a database is created in it) instead of a throwaway test server.</summary>
    public string? Postgres { get; init; }

    public bool SkipIngestion { get; init; }

    public bool SkipAnalytics { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--batch-size" => options with { BatchSize = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--concurrency" => options with { Concurrency = Next().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray() },
                "--records" => options with { Records = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--days" => options with { Days = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--runs" => options with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--postgres" => options with { Postgres = Next() },
                "--skip-ingestion" => options with { SkipIngestion = true },
                "--skip-analytics" => options with { SkipAnalytics = true },
                _ => throw new ArgumentException(
                    $"Unknown option {args[i]}. Options: --batch-size N --seconds S --concurrency 1,2,4 --records N --days D --runs N " +
                    "--postgres CONNECTION_STRING --skip-ingestion --skip-analytics"),
            };
        }

        return options;
    }
}
