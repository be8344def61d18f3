using System.Globalization;
using System.Text.Json;
using AiPlatform.Faults.Tests.Ledger;
using AiPlatform.Faults.Tests.Load;
using AiPlatform.Faults.Tests.Platform;
using AiPlatform.Testing;
using Xunit.Abstractions;

namespace AiPlatform.Faults.Tests;

/// <summary>
/// A worker process SIGKILLed while it streams answers to several clients: nothing can be retried once the answer has
/// started, so each client must learn that its answer is cut (OpenAI's error event, then a broken connection, never a
/// clean end), and the ledger must record what each one was delivered.
/// </summary>
public sealed class WorkerKilledMidStreamTests(ITestOutputHelper output)
{
    private const int ChunksBeforeKill = 5;

    [Fact]
    public async Task WorkerSigkilledMidStream_ClientsSeeTheErrorAndACutStreamLedgerRecordsWhatWasDelivered()
    {
        await using var platform = await FaultPlatform.StartAsync();
        var ledger = new LedgerReader(platform);
        var key = await platform.CreateKeyAsync(new { name = "worker killed mid-stream" });
        // Model "slow": a token every 100 ms, and answers far longer than the test waits (their length is drawn up to this).
        var worker = await platform.StartWorkerProcessAsync(new Dictionary<string, string>
        {
            ["Inference:Simulator:Model"] = "slow",
            ["Inference:Simulator:TimeToFirstTokenMs"] = "0",
            ["Inference:Simulator:InterTokenLatencyMs"] = "100",
            ["Inference:Simulator:DefaultMaxTokens"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var settings = platform.GatewaySettings();
        settings["Gateway:Models:1:Name"] = "slow";
        settings["Gateway:Models:1:Targets:0:BaseUrl"] = new Uri(worker.Url, "v1").ToString();
        var gateway = platform.StartGateway(settings);

        var midStream = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var raw = Enumerable.Range(0, 2).Select(i => StreamingClients.ReadRawAsync(gateway, key.Secret, "slow", $"raw {i}", ChunksBeforeKill, midStream[i])).ToList();
        var sdk = Enumerable.Range(0, 2).Select(i => StreamingClients.ReadThroughSdkAsync(gateway, key.Secret, "slow", $"sdk {i}", ChunksBeforeKill, midStream[2 + i])).ToList();
        await Task.WhenAll(midStream.Select(m => m.Task)).WaitAsync(TestTimeouts.Default);
        await worker.KillAsync();
        var rawOutcomes = await Task.WhenAll(raw).WaitAsync(TestTimeouts.Default);
        var sdkOutcomes = await Task.WhenAll(sdk).WaitAsync(TestTimeouts.Default);

        StreamOutcome[] outcomes = [.. rawOutcomes, .. sdkOutcomes];
        var records = (await ledger.SettledRecordsAsync(key, [.. outcomes.Select(o => o.RequestId)], TimeSpan.FromSeconds(30)))
            .ToDictionary(r => r.RequestId);
        foreach (var outcome in outcomes)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{outcome.RequestId}: {outcome.Chunks} chunks, ended by {outcome.Failure?.GetType().Name ?? "a clean end"}; record: {records.GetValueOrDefault(outcome.RequestId)}"));
        }

        Assert.All(rawOutcomes, outcome =>
        {
            Assert.False(outcome.SawDone, "the stream ended with [DONE], as if complete");
            Assert.NotNull(outcome.Failure);
            Assert.Equal("upstream_stream_error", JsonElement.Parse(outcome.LastData!).GetProperty("error").GetProperty("code").GetString());
        });
        Assert.All(sdkOutcomes, outcome => Assert.NotNull(outcome.Failure));
        LedgerJudge.AssertOneRecordPerAnswer([.. outcomes.Select(o => o.RequestId)], [.. records.Values]);
        Assert.All(outcomes, outcome =>
        {
            var record = records[outcome.RequestId];
            Assert.Equal(200, record.StatusCode);
            Assert.Equal("upstream_stream_error", record.ErrorCode);
        });
        // The simulator sends a token per chunk, and a cut stream is charged for the chunks it delivered.
        Assert.All(outcomes, outcome => Assert.Equal(outcome.Chunks, records[outcome.RequestId].CompletionTokens));
    }
}
