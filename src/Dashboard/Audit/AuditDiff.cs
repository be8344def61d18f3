using System.Text.Encodings.Web;
using System.Text.Json;

namespace AiPlatform.Dashboard.Audit;

/// <summary>One field of an audited object, before and after the change; null where the object did not have it.</summary>
public sealed record FieldChange(string Field, JsonElement? Before, JsonElement? After)
{
    // The page HTML-encodes what it shows: the JSON need not escape '+', '<' or accents for a browser's sake.
    private static readonly JsonSerializerOptions s_readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool Changed => (Before, After) switch
    {
        ({ } before, { } after) => !JsonElement.DeepEquals(before, after),
        (null, null) => false,
        _ => true,
    };

    /// <summary>A value as a person reads it: a string as it is, anything else as compact JSON, "—" when absent.</summary>
    public static string Show(JsonElement? value) => value switch
    {
        null => "—",
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { } other => JsonSerializer.Serialize(other, s_readable),
    };
}

/// <summary>
/// The field-by-field comparison of an audit entry's <c>before</c> and <c>after</c>: every field of either, in the order
/// the objects list them, so a person sees what changed beside what stayed.
/// </summary>
public static class AuditDiff
{
    public static IReadOnlyList<FieldChange> Of(JsonElement? before, JsonElement? after)
    {
        var beforeFields = Fields(before);
        var afterFields = Fields(after);
        return [.. beforeFields.Concat(afterFields).Select(field => field.Name).Distinct(StringComparer.Ordinal)
            .Select(name => new FieldChange(name, ValueOf(beforeFields, name), ValueOf(afterFields, name)))];
    }

    /// <summary>An object's fields in their order; a value that is not an object (none is expected) as one field.</summary>
    private static IReadOnlyList<(string Name, JsonElement Value)> Fields(JsonElement? value) => value switch
    {
        null or { ValueKind: JsonValueKind.Null } => [],
        { ValueKind: JsonValueKind.Object } fields => [.. fields.EnumerateObject().Select(field => (field.Name, field.Value))],
        { } other => [("value", other)],
    };

    private static JsonElement? ValueOf(IReadOnlyList<(string Name, JsonElement Value)> fields, string name) =>
        fields.FirstOrDefault(field => field.Name == name) is { Name: not null } found ? found.Value : null;
}
