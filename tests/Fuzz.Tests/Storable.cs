using System.Text.Json;

namespace AiPlatform.Fuzz.Tests;

/// <summary>
/// What PostgreSQL can store: <c>text</c> and <c>jsonb</c> refuse U+0000, and a lone UTF-16 surrogate has no UTF-8 form
/// (Npgsql cannot send it; <c>jsonb</c> refuses its escape). A parser that accepts either turns a bad request into a 500
/// at the insert.
/// </summary>
public static class Storable
{
    public static void AssertText(string? text, string what)
    {
        if (text is null)
        {
            return;
        }

        Assert.False(text.Contains('\0'), $"{what} holds U+0000: {JsonSerializer.Serialize(text)}");
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else
            {
                Assert.False(char.IsSurrogate(text[i]), $"{what} holds a lone surrogate: {JsonSerializer.Serialize(text)}");
            }
        }
    }

    /// <summary>Every member name and string of <paramref name="element"/> is storable text (reading it must not throw either).</summary>
    public static void AssertJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    AssertText(member.Name, "a JSON member name");
                    AssertJson(member.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertJson(item);
                }

                break;
            case JsonValueKind.String:
                AssertText(element.GetString(), "a JSON string");
                break;
        }
    }

    public static void AssertJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        AssertJson(document.RootElement);
    }
}
