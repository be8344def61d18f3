namespace AiPlatform.Gateway.Streaming;

/// <summary>
/// Tells from raw bytes, without parsing, whether a JSON member is worth parsing for: most streamed chunks carry neither
/// usage nor a finish reason, and the relay must not pay for a parse of each.
/// </summary>
internal static class JsonMemberProbe
{
    /// <summary>Whether the last <paramref name="quotedName"/> in <paramref name="json"/> is followed by a value starting with <paramref name="first"/>.</summary>
    public static bool LastValueStartsWith(ReadOnlySpan<byte> json, ReadOnlySpan<byte> quotedName, byte first)
    {
        var at = json.LastIndexOf(quotedName);
        if (at < 0)
        {
            return false;
        }

        var rest = json[(at + quotedName.Length)..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != (byte)':')
        {
            return false;
        }

        rest = rest[1..].TrimStart(" \t\r\n"u8);
        return !rest.IsEmpty && rest[0] == first;
    }
}
