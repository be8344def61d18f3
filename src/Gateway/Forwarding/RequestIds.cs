using System.Security.Cryptography;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// Request ids: the client's <c>aig-request-id</c> when it is well-formed (1–128 characters of letters, digits,
/// and <c>-_.:</c>), so retries of the same logical request keep one id; otherwise a new random one.
/// </summary>
public static class RequestIds
{
    private const int MaxLength = 128;
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string FromClientOrNew(string? clientValue) =>
        clientValue is { Length: > 0 and <= MaxLength } value && IsWellFormed(value) ? value : New();

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

    /// <summary><c>req_</c> and 24 random base-36 characters (~124 bits).</summary>
    public static string New() => string.Create(28, 0, static (span, _) =>
    {
        "req_".CopyTo(span);
        RandomNumberGenerator.GetItems(Alphabet, span[4..]);
    });
}
