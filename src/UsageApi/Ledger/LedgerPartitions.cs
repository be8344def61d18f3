using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace AiPlatform.UsageApi.Ledger;

/// <summary>
/// The month partitions of <c>usage_records</c> (UTC months): creates the ones a batch needs, remembering which exist
/// so that a batch normally costs no query for them. Thread-safe.
/// </summary>
public sealed class LedgerPartitions(NpgsqlDataSource dataSource, ILogger<LedgerPartitions> logger)
{
    // Months (year * 12 + month - 1) whose partition this process has seen exist.
    private readonly ConcurrentDictionary<int, bool> _known = new();

    /// <summary>Creates the partitions of the months of <paramref name="timestamps"/> not known to exist, on <paramref name="connection"/>.</summary>
    public async Task EnsureAsync(NpgsqlConnection connection, IEnumerable<DateTimeOffset> timestamps, CancellationToken cancellationToken)
    {
        HashSet<int>? missing = null;
        foreach (var timestamp in timestamps)
        {
            var month = MonthOf(timestamp);
            if (!_known.ContainsKey(month))
            {
                (missing ??= []).Add(month);
            }
        }

        foreach (var month in missing ?? [])
        {
            // Autocommit, outside any batch's transaction: creating a partition locks the parent table until commit.
            var start = new DateTimeOffset(month / 12, month % 12 + 1, 1, 0, 0, 0, TimeSpan.Zero);
            await using var command = new NpgsqlCommand("SELECT usage_records_ensure_partition(@month)", connection);
            command.Parameters.AddWithValue("month", start);
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (_known.TryAdd(month, true))
            {
                LedgerLog.PartitionReady(logger, start.ToString("yyyy-MM", CultureInfo.InvariantCulture));
            }
        }
    }

    public async Task EnsureAsync(IEnumerable<DateTimeOffset> timestamps, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await EnsureAsync(connection, timestamps, cancellationToken);
    }

    /// <summary>Forgets what is known, after a partition this process knew was dropped (retention).</summary>
    public void Forget() => _known.Clear();

    private static int MonthOf(DateTimeOffset timestamp) => timestamp.UtcDateTime.Year * 12 + timestamp.UtcDateTime.Month - 1;
}
