namespace AiPlatform.Faults.Tests.Ledger;

/// <summary>
/// The judge of every fault test: the requests the clients got an answer for, by their <c>aig-request-id</c>, are exactly
/// the ledger's records, one each: none lost, none doubled, none made up.
/// </summary>
public static class LedgerJudge
{
    public static void AssertOneRecordPerAnswer(IReadOnlyCollection<string> answered, IReadOnlyList<LedgerRecord> records)
    {
        var answers = answered.ToHashSet(StringComparer.Ordinal);
        var recorded = records.Select(r => r.RequestId).ToHashSet(StringComparer.Ordinal);
        var doubled = records.GroupBy(r => r.RequestId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var missing = answers.Where(id => !recorded.Contains(id)).ToList();
        var unexpected = recorded.Where(id => !answers.Contains(id)).ToList();
        Assert.True(doubled.Count == 0 && missing.Count == 0 && unexpected.Count == 0,
            $"{answers.Count} answered, {records.Count} records: {missing.Count} answered without a record ({Sample(missing)}), " +
            $"{doubled.Count} recorded twice ({Sample(doubled)}), {unexpected.Count} recorded but never answered ({Sample(unexpected)}).");
    }

    private static string Sample(IEnumerable<string> ids) => string.Join(", ", ids.Take(5));
}
