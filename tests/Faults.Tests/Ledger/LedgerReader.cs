using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AiPlatform.Faults.Tests.Platform;

namespace AiPlatform.Faults.Tests.Ledger;

/// <summary>Reads the ledger as an operator does: UsageApi's <c>/v1/usage</c> endpoints with the master key.</summary>
public sealed class LedgerReader(FaultPlatform platform)
{
    private const string AllTime = "from=2000-01-01T00:00:00Z";

    /// <summary>Every record of a key, following the cursor through all pages.</summary>
    public async Task<List<LedgerRecord>> RecordsAsync(VirtualKey key)
    {
        using var admin = platform.Admin();
        var records = new List<LedgerRecord>();
        string? cursor = null;
        do
        {
            var query = $"/v1/usage/records?key={key.Id}&limit=1000&{AllTime}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}";
            var page = JsonElement.Parse(await admin.GetStringAsync(new Uri(query, UriKind.Relative)));
            records.AddRange(page.GetProperty("data").EnumerateArray().Select(LedgerRecord.From));
            cursor = page.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return records;
    }

    /// <summary>
    /// The key's records once they hold every one of <paramref name="expected"/> or <paramref name="timeout"/> has passed,
    /// read again after a short pause so that a record arriving twice, or one nobody expected, would show.
    /// </summary>
    public async Task<List<LedgerRecord>> SettledRecordsAsync(VirtualKey key, IReadOnlyCollection<string> expected, TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < timeout)
        {
            var recorded = (await RecordsAsync(key)).Select(r => r.RequestId).ToHashSet();
            if (recorded.IsSupersetOf(expected))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        return await RecordsAsync(key);
    }
}

/// <summary>The fields of a ledger record the fault tests look at.</summary>
public sealed record LedgerRecord(string RequestId, int StatusCode, string? ErrorCode, int CompletionTokens)
{
    public static LedgerRecord From(JsonElement json) => new(
        json.GetProperty("request_id").GetString()!,
        json.GetProperty("status_code").GetInt32(),
        json.GetProperty("error_code").GetString(),
        json.GetProperty("completion_tokens").GetInt32());

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{RequestId} {StatusCode} {ErrorCode ?? "-"} {CompletionTokens} tokens");
}
