using System.Globalization;
using System.Net;
using System.Text;
using AiPlatform.Faults.Tests.Ledger;
using AiPlatform.Faults.Tests.Load;
using AiPlatform.Faults.Tests.Platform;
using AiPlatform.Gateway.Usage;
using AiPlatform.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace AiPlatform.Faults.Tests;

/// <summary>
/// Postgres stopped under steady load and started again: UsageApi cannot write the ledger and fails ingestion, the Gateway
/// parks its batches in the Redis Stream meanwhile, and replays them once the ledger takes them again.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const double RequestsPerSecond = 40;
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task PostgresRestartedUnderLoad_IngestionRefusedBatchesParkedThenLedgerComplete()
    {
        await using var platform = await FaultPlatform.StartAsync();
        var ledger = new LedgerReader(platform);
        var key = await platform.CreateKeyAsync(new { name = "postgres outage" });
        var gateway = platform.StartGateway(platform.GatewaySettings());
        await using var redis = await ConnectionMultiplexer.ConnectAsync(platform.Redis.ConnectionString);
        await using var load = SteadyLoad.Start(gateway, clients: 4, RequestsPerSecond, n => ChatRequests.Completion(key.Secret, $"postgres outage {n}"));
        await Task.Delay(TimeSpan.FromSeconds(3));

        await platform.Postgres.StopAsync();
        var ingestion = await IngestionStatusAsync(platform);
        // The stream's entries are the Gateway's batches: it parks each one UsageApi refused.
        var parked = await Eventually.ResultAsync(() => redis.GetDatabase().StreamLengthAsync(UsageStreamFormat.StreamKey), length => length > 0);
        await Task.Delay(s_outage);
        await platform.Postgres.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await load.StopAsync();

        var answered = load.Answers;
        var records = await ledger.SettledRecordsAsync(key, [.. answered.Select(a => a.RequestId!)], TimeSpan.FromSeconds(30));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingestion answered {(int)ingestion} during the outage; {parked} batches parked within moments; answered {answered.Count}, recorded {records.Count}"));

        // 503: the failure is temporary, and the Gateway parks the batch and offers it again (a 400, 413 or 422 would set
        // it aside for good).
        Assert.Equal(503, (int)ingestion);
        Assert.True(parked > 0);
        Assert.Empty(load.Unanswered);
        Assert.All(answered, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        LedgerJudge.AssertOneRecordPerAnswer([.. answered.Select(a => a.RequestId!)], records);
        Assert.Equal(0, await redis.GetDatabase().StreamLengthAsync(UsageStreamFormat.StreamKey));
    }

    /// <summary>What UsageApi answers a Gateway's batch while the ledger's database is down (one event of a key of its own).</summary>
    private static async Task<HttpStatusCode> IngestionStatusAsync(FaultPlatform platform)
    {
        using var admin = platform.Admin();
        var batch = $$"""{"events":[{"request_id":"probe-{{Guid.NewGuid():n}}","timestamp":"{{DateTimeOffset.UtcNow:O}}","key_id":"ingestion-probe","status_code":200}]}""";
        using var response = await admin.PostAsync(new Uri("/v1/usage/events", UriKind.Relative), new StringContent(batch, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }
}
