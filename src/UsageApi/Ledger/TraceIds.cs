namespace AiPlatform.UsageApi.Ledger;

/// <summary>
/// W3C Trace Context trace ids (§3.2.2.3 of the recommendation), as the ledger takes them from Gateways and from
/// filters: 32 lowercase hex digits, all zeros being the invalid id.
/// </summary>
public static class TraceIds
{
    public const int Length = 32;

    public static bool IsValid(string? value) =>
        value is { Length: Length } && value.All(char.IsAsciiHexDigitLower) && value.Any(c => c != '0');
}
