using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.RateLimiting;
using AiPlatform.Gateway.Usage;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;

namespace AiPlatform.Gateway.Benchmarks;

/// <summary>
/// Step 4 of the request path: a request admitted against this replica's leases (no Redis round trip), and its tokens
/// settled into the lease after the answer, as on every request of a key whose limits are large enough to lease.
/// </summary>
[MemoryDiagnoser]
public class RateLimitLeaseBenchmarks
{
    private static readonly RateLimitRequest s_request = new("bench-key", 100_000_000, 2_000_000_000, 500, null, 0);
    private RateLimitLeases _leases = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The leases never reach Redis here: the lease is granted below, and on a clock that stands still it never ends
        // (so the sweeper never gives it back, however long the run).
        var clock = new StoppedClock();
        var options = Options.Create(new RateLimitOptions { LeasePeriod = TimeSpan.FromMinutes(1) });
        _leases = new RateLimitLeases(new RedisRateLimiter(null!, clock), options, clock);
        var renewal = _leases.BeginRenewal(s_request);
        renewal.Granted(LimitKind.Requests, 1_000_000, 99_000_000, 600);
        renewal.Granted(LimitKind.Tokens, 20_000_000, 1_980_000_000, 600);
    }

    private sealed class StoppedClock : TimeProvider
    {
        public override long GetTimestamp() => 1;
    }

    [Benchmark]
    public bool AdmitAndSettleAgainstLease()
    {
        var admitted = _leases.TryAdmit(s_request) is { Allowed: true };
        return admitted && _leases.TryCredit(LimitKind.Tokens, s_request.KeyId, s_request.Tpm!.Value, 300);
    }
}

/// <summary>Step 6 on a hit: the answer found in this replica's memory, no Redis round trip.</summary>
[MemoryDiagnoser]
public class CacheMemoryBenchmarks
{
    private const string Key = "aig:cache:key:bench-key:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly CacheMemory _memory = new(Options.Create(new CacheOptions()));

    [GlobalSetup]
    public void Setup() => _memory.Set(Key, Fixtures.ChatCompletion, TimeSpan.FromHours(1));

    [Benchmark]
    public int HitFromMemory() => _memory.TryGet(Key, out var answer) ? answer!.Length : -1;
}

/// <summary>
/// After every request, its usage event's share of a batch for UsageApi: a batch of 500 typical events written into
/// the shipper's kept buffers and given back, as the shipper does (bytes per batch; divide by 500 for a request's share).
/// </summary>
[MemoryDiagnoser]
public class UsageBatchBenchmarks
{
    private const int MaxBatchBytes = 16 * 1024 * 1024;

    private readonly UsageBodyBuffers _bodyBuffers = new(batchSize: 500, kept: 1);

    private readonly List<UsageEvent> _events = [.. Enumerable.Range(0, 500).Select(i => new UsageEvent
    {
        RequestId = $"req_{i:D24}",
        Timestamp = DateTimeOffset.UnixEpoch.AddSeconds(i),
        KeyId = "bench-key",
        KeyName = "bench",
        RequestedModel = "bench",
        ServedModel = "bench",
        Target = "http://127.0.0.1:8080/v1",
        StatusCode = 200,
        PromptTokens = 250,
        CompletionTokens = 12,
        TotalTokens = 262,
        LatencyMs = 1,
        ClientIp = "127.0.0.1",
        TraceId = "0123456789abcdef0123456789abcdef",
        Path = "/v1/chat/completions",
    })];

    [Benchmark]
    public int SerializeBatchOf500()
    {
        var length = 0;
        foreach (var (json, _) in UsageShipper.Bodies(_events, MaxBatchBytes, _bodyBuffers))
        {
            length += json.WrittenCount;
            json.Dispose();
        }

        return length;
    }
}
