using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace AiPlatform.ServiceDefaults.Usage;

/// <summary>
/// Strings of a request that PostgreSQL can store. <c>text</c> and <c>jsonb</c> refuse U+0000, and a <c>\u</c> escape of
/// a lone surrogate is no text at all (<see cref="JsonElement.GetString"/> throws on it); accepted, either fails the
/// insert with a 500, so the parsers refuse both with a 400 (found by tests/Fuzz.Tests). The Gateway refuses them in
/// what it forwards to the ledger (<c>aig-metadata</c>), where one would fail a whole batch.
/// </summary>
public static class JsonText
{
    public const string Rule = "must be text without U+0000 or unpaired UTF-16 surrogates";

    /// <summary>The string's value, or false when it is not storable text. <paramref name="value"/> must be a string.</summary>
    public static bool TryGetString(JsonElement value, [NotNullWhen(true)] out string? text)
    {
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }

        if (text.Contains('\0'))
        {
            text = null;
            return false;
        }

        return true;
    }

    /// <summary>Whether every member name and string inside <paramref name="element"/> is storable text.</summary>
    public static bool IsStorable(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().All(m => IsStorableName(m) && IsStorable(m.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(IsStorable),
        JsonValueKind.String => TryGetString(element, out _),
        _ => true,
    };

    private static bool IsStorableName(JsonProperty member)
    {
        try
        {
            return !member.Name.Contains('\0');
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
