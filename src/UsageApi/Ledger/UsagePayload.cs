using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AiPlatform.UsageApi.Ledger;

/// <summary>
/// What a request asked and was answered, as a Gateway captured it for a key with <c>log_payloads</c>: the request body
/// it received, as text (never its headers, so never a credential), and the answer's text, null when there was none.
/// <see cref="Truncated"/> says that some of it is missing, cut by the Gateway or by the ledger (<see cref="Cap"/>).
/// </summary>
public sealed record UsagePayload(string Request, string? Response, bool Truncated)
{
    /// <summary>
    /// This payload with each text cut to at most <paramref name="maxChars"/> UTF-16 characters, never between the two
    /// halves of a surrogate pair, and marked truncated when anything was cut.
    /// </summary>
    public UsagePayload Cap(int maxChars)
    {
        var request = Cut(Request, maxChars);
        var response = Response is null ? null : Cut(Response, maxChars);
        return ReferenceEquals(request, Request) && ReferenceEquals(response, Response)
            ? this
            : new UsagePayload(request, response, Truncated: true);
    }

    /// <summary>
    /// A payload text from the event's JSON, made storable: Postgres's <c>text</c> cannot hold U+0000, and a surrogate
    /// escaped without its other half (<c>"\ud83d"</c>: a text cut inside an emoji) is refused by System.Text.Json's
    /// <see cref="JsonElement.GetString"/>. Both become U+FFFD, so that no payload can make a batch fail.
    /// </summary>
    public static string ReadText(JsonElement value)
    {
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            text = UnescapeReplacingLoneSurrogates(value.GetRawText());
        }

        return text.Replace('\0', '\uFFFD');
    }

    private static string Cut(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
        return text[..length];
    }

    // The string token's raw text, quotes included, already validated by the JSON reader: every escape is well formed.
    private static string UnescapeReplacingLoneSurrogates(string quoted)
    {
        var text = new StringBuilder(quoted.Length);
        for (var i = 1; i < quoted.Length - 1; i++)
        {
            if (quoted[i] != '\\')
            {
                text.Append(quoted[i]);
                continue;
            }

            var escaped = quoted[++i];
            if (escaped == 'u')
            {
                text.Append((char)int.Parse(quoted.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                i += 4;
                continue;
            }

            text.Append(escaped switch
            {
                'b' => '\b',
                'f' => '\f',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                _ => escaped, // " \ /
            });
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                text[i] = '\uFFFD';
            }
        }

        return text.ToString();
    }
}
