using System.ComponentModel.DataAnnotations;

namespace AiPlatform.UsageApi.Ledger;

/// <summary>How the ledger keeps payloads, the request and answer texts of keys with <c>log_payloads</c>.</summary>
public sealed class PayloadsOptions
{
    public const string SectionName = "Ledger:Payloads";

    /// <summary>
    /// The most UTF-16 characters kept of a request and of an answer, each; longer texts are cut and marked
    /// <c>truncated</c>. 32,768 holds a long chat prompt and keeps a payload's row within 64K characters.
    /// </summary>
    [Range(1, 8 * 1024 * 1024)]
    public int MaxChars { get; set; } = 32_768;

    /// <summary>Payloads older than this (by the request's time) are deleted, every hour.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;
}
