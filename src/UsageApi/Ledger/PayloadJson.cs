using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AiPlatform.UsageApi.Ledger;

/// <summary>Payload texts as they come in a usage event's JSON.</summary>
internal static class PayloadJson
{
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
