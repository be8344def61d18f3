namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>
/// 64-bit FNV-1a over UTF-16 code units: the same value in every process and on every machine, unlike
/// <see cref="string.GetHashCode()"/>, which .NET randomises per process. It keys the simulator's answers, so a
/// prompt gets the same answer from every replica and after every restart.
/// </summary>
internal struct StableHash
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    private ulong _value;

    public StableHash() => _value = OffsetBasis;

    public readonly ulong Value => _value;

    public void Add(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            _value = (_value ^ c) * Prime;
        }
    }

    /// <summary>Adds a separator no text contains, so that <c>("ab", "c")</c> and <c>("a", "bc")</c> differ.</summary>
    public void AddSeparator() => _value = (_value ^ 0x1_0000) * Prime;

    public void Add(long number)
    {
        for (var i = 0; i < 8; i++)
        {
            _value = (_value ^ (byte)(number >> (8 * i))) * Prime;
        }
    }

    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = new StableHash();
        hash.Add(text);
        return hash.Value;
    }
}

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast PRNG whose whole output is fixed by its seed, which is
/// what makes simulated answers reproducible.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15;
        return Mix(_state);
    }

    /// <summary>A number in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive) => (int)((Next() >> 32) * (ulong)maxExclusive >> 32);

    /// <summary>A number in [-1, 1).</summary>
    public float NextSignedFloat() => (float)(((Next() >> 11) * (1.0 / (1UL << 53)) * 2) - 1);

    /// <summary>The SplitMix64 finaliser: spreads every input bit over the whole output.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
