using System.Text;

namespace AiPlatform.Fuzz.Tests;

/// <summary>
/// A JSON value as the generators build it: strings keep their escaped text as written, numbers their literal, so that
/// rendering is exact and an object can be written again with its members in another order and other white space.
/// </summary>
public abstract record Json
{
    /// <summary>
    /// The value as text. <paramref name="order"/>, when given, permutes every object's members (deterministically from
    /// its seed); <paramref name="spacing"/> picks the white space put between tokens (0: none).
    /// </summary>
    public string Render(int spacing = 0, Random? order = null)
    {
        var text = new StringBuilder();
        Write(text, spacing, order, 0);
        return text.ToString();
    }

    internal abstract void Write(StringBuilder text, int spacing, Random? order, int depth);

    protected static void Space(StringBuilder text, int spacing, int depth)
    {
        switch (spacing)
        {
            case 1: text.Append(' '); break;
            case 2: text.Append('\n').Append(' ', depth * 2); break;
            case 3: text.Append("\r\n\t"); break;
        }
    }
}

public sealed record JsonLiteral(string Text) : Json
{
    internal override void Write(StringBuilder text, int spacing, Random? order, int depth) => text.Append(Text);
}

/// <summary>A string; <see cref="Escaped"/> is its content between the quotes, escapes as written.</summary>
public sealed record JsonString(string Escaped) : Json
{
    internal override void Write(StringBuilder text, int spacing, Random? order, int depth) => text.Append('"').Append(Escaped).Append('"');
}

public sealed record JsonArray(IReadOnlyList<Json> Items) : Json
{
    internal override void Write(StringBuilder text, int spacing, Random? order, int depth)
    {
        text.Append('[');
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            Space(text, spacing, depth + 1);
            Items[i].Write(text, spacing, order, depth + 1);
        }

        Space(text, spacing, depth);
        text.Append(']');
    }

    public override string ToString() => Render();
}

public sealed record JsonObject(IReadOnlyList<KeyValuePair<string, Json>> Members) : Json
{
    internal override void Write(StringBuilder text, int spacing, Random? order, int depth)
    {
        var members = Members.ToArray();
        order?.Shuffle(members);
        text.Append('{');
        for (var i = 0; i < members.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            Space(text, spacing, depth + 1);
            text.Append('"').Append(members[i].Key).Append('"').Append(':');
            Space(text, spacing == 2 ? 1 : spacing, depth + 1);
            members[i].Value.Write(text, spacing, order, depth + 1);
        }

        Space(text, spacing, depth);
        text.Append('}');
    }

    public override string ToString() => Render();
}
