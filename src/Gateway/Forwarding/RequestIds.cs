using System.Security.Cryptography;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// Request ids: the client's <c>aig-request-id</c> when it is well-formed (1–128 characters of letters, digits,
/// and <c>-_.:</c>), so retries of the same logical request keep one id; otherwise a new one, which sorts by the time the
/// request arrived.
/// </summary>
public static class RequestIds
{
    private const int MaxLength = 128;
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    private const string Prefix = "req_";

    /// <summary>Base-36 digits of the arrival time in Unix milliseconds: 36⁹ ms is over 3,000 years.</summary>
    private const int TimeDigits = 9;

    /// <summary>Random base-36 characters after the time (~77 bits): ids of one millisecond differ by these.</summary>
    private const int RandomDigits = 15;

    public static string FromClientOrNew(string? clientValue, DateTimeOffset arrivedAt) =>
        clientValue is { Length: > 0 and <= MaxLength } value && IsWellFormed(value) ? value : New(arrivedAt);

    public static bool IsWellFormed(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>req_</c>, the arrival time (9 base-36 digits of Unix milliseconds, fixed width, so that ids sort by time as
    /// text) and 15 random base-36 characters. Time first because the id leads the ledger's primary key: ids that grow
    /// with time are appended at the index's right edge, where random ones landed on any of its pages (measured in
    /// Postgres: ~10% of a record's insert time).
    /// </summary>
    public static string New(DateTimeOffset arrivedAt) =>
        string.Create(Prefix.Length + TimeDigits + RandomDigits, Math.Max(arrivedAt.ToUnixTimeMilliseconds(), 0), static (span, milliseconds) =>
        {
            Prefix.CopyTo(span);
            var time = span.Slice(Prefix.Length, TimeDigits);
            for (var i = time.Length - 1; i >= 0; i--)
            {
                time[i] = Alphabet[(int)(milliseconds % Alphabet.Length)];
                milliseconds /= Alphabet.Length;
            }

            RandomNumberGenerator.GetItems(Alphabet, span[(Prefix.Length + TimeDigits)..]);
        });
}
