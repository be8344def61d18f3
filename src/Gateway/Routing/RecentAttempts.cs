namespace AiPlatform.Gateway.Routing;

/// <summary>
/// One target's attempts over the last minute as this replica saw them: how many, how many failed, and a histogram of
/// the others' durations from which percentiles are estimated (<c>GET /v1/admin/backends</c>). Every attempt records
/// here, so a write is two <see cref="Interlocked"/> increments in one bucket of a ring of <see cref="BucketCount"/>
/// buckets of <see cref="BucketSeconds"/> s, allocated once with the target: no lock and no allocation per request.
/// The first write to land in a bucket after a turn of the ring clears it; a write racing that clear is dropped, and a
/// read may see a bucket half-written: figures for a dashboard, not for billing. Thread-safe.
/// </summary>
public sealed class RecentAttempts
{
    public const int WindowSeconds = 60;
    private const int BucketSeconds = 5;
    private const int BucketCount = WindowSeconds / BucketSeconds;

    /// <summary>A slot's bucket number before its first write.</summary>
    private const long Unused = -1;

    /// <summary>A slot's bucket number while one write clears it for a new bucket; other writes to it are dropped.</summary>
    private const long Clearing = -2;

    private const int RequestsField = 0;
    private const int ErrorsField = 1;
    private const int FirstBinField = 2;

    /// <summary>
    /// Upper bounds (ms) of the latency histogram's bins, about ×1.5 apart, from an instant answer to a long generation;
    /// the last bin is unbounded. A percentile is interpolated within its bin, so it is off by at most the bin's width.
    /// </summary>
    private static readonly int[] s_binBoundsMs =
        [5, 10, 20, 35, 50, 75, 100, 150, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000];

    private static readonly int s_bins = s_binBoundsMs.Length + 1;
    private static readonly int s_stride = FirstBinField + s_bins;

    private readonly long _bucketTicks;
    private readonly long _frequency;

    /// <summary>The bucket (timestamp / bucket length) each slot counts, or <see cref="Unused"/>, or <see cref="Clearing"/>.</summary>
    private readonly long[] _buckets = new long[BucketCount];

    /// <summary>Per slot: requests, errors, then the latency bins; <see cref="s_stride"/> counters each.</summary>
    private readonly int[] _counts = new int[BucketCount * s_stride];

    public RecentAttempts(TimeProvider time)
    {
        _frequency = time.TimestampFrequency;
        _bucketTicks = BucketSeconds * _frequency;
        Array.Fill(_buckets, Unused);
    }

    /// <summary>
    /// Counts one finished attempt at <paramref name="now"/>: failed, or answered after <paramref name="elapsed"/> (both
    /// <see cref="TimeProvider.GetTimestamp"/> units). Failures have no latency: a refused connection's would flatter it.
    /// </summary>
    public void Record(long now, long elapsed, bool failed)
    {
        var bucket = now / _bucketTicks;
        var slot = (int)(bucket % BucketCount);
        if (!TryEnter(slot, bucket))
        {
            return;
        }

        var at = slot * s_stride;
        Interlocked.Increment(ref _counts[at + RequestsField]);
        Interlocked.Increment(ref _counts[at + (failed ? ErrorsField : FirstBinField + BinOf(elapsed * 1000 / _frequency))]);
    }

    /// <summary>
    /// The figures of the window ending at <paramref name="now"/>: the current bucket and the eleven before it, so 55 to
    /// 60 s. Sums a few hundred counters: for the admin API, not the request path.
    /// </summary>
    public RecentFigures Read(long now)
    {
        var current = now / _bucketTicks;
        Span<int> bins = stackalloc int[s_bins];
        int requests = 0, errors = 0, answered = 0;
        for (var slot = 0; slot < BucketCount; slot++)
        {
            var bucket = Volatile.Read(ref _buckets[slot]);
            if (bucket < 0 || bucket <= current - BucketCount || bucket > current)
            {
                continue;
            }

            var at = slot * s_stride;
            requests += Volatile.Read(ref _counts[at + RequestsField]);
            errors += Volatile.Read(ref _counts[at + ErrorsField]);
            for (var bin = 0; bin < s_bins; bin++)
            {
                var count = Volatile.Read(ref _counts[at + FirstBinField + bin]);
                bins[bin] += count;
                answered += count;
            }
        }

        return new RecentFigures(requests, errors, Percentile(bins, answered, 0.5), Percentile(bins, answered, 0.95));
    }

    /// <summary>True when the slot now counts <paramref name="bucket"/>, cleared first if it counted an older one.</summary>
    private bool TryEnter(int slot, long bucket)
    {
        while (true)
        {
            var held = Volatile.Read(ref _buckets[slot]);
            if (held == bucket)
            {
                return true;
            }

            // Another write is clearing it, or it counts a newer bucket already (this write waited a whole turn).
            if (held == Clearing || held > bucket)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _buckets[slot], Clearing, held) == held)
            {
                Array.Clear(_counts, slot * s_stride, s_stride);
                Volatile.Write(ref _buckets[slot], bucket);
                return true;
            }
        }
    }

    private static int BinOf(long milliseconds)
    {
        var bin = 0;
        while (bin < s_binBoundsMs.Length && milliseconds > s_binBoundsMs[bin])
        {
            bin++;
        }

        return bin;
    }

    /// <summary>Interpolated linearly within the bin the rank falls in; the unbounded last bin gives its lower bound.</summary>
    private static int? Percentile(ReadOnlySpan<int> bins, int total, double quantile)
    {
        if (total == 0)
        {
            return null;
        }

        var rank = quantile * total;
        var below = 0;
        for (var bin = 0; bin < bins.Length; bin++)
        {
            var count = bins[bin];
            if (count > 0 && below + count >= rank)
            {
                var lower = bin == 0 ? 0 : s_binBoundsMs[bin - 1];
                if (bin == s_binBoundsMs.Length)
                {
                    return lower;
                }

                return (int)Math.Round(lower + ((s_binBoundsMs[bin] - lower) * (rank - below) / count));
            }

            below += count;
        }

        return s_binBoundsMs[^1];
    }
}

/// <summary>A target's last minute: attempts, failed ones, and the latency percentiles of the others (null when none).</summary>
public readonly record struct RecentFigures(int Requests, int Errors, int? LatencyMsP50, int? LatencyMsP95)
{
    /// <summary>0 to 1; 0 without attempts. (A read racing writes may count an error before its attempt: hence the cap.)</summary>
    public double ErrorRate => Requests == 0 ? 0 : Math.Min(1, (double)Errors / Requests);
}
