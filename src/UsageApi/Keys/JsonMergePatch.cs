using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiPlatform.UsageApi.Keys;

/// <summary>JSON Merge Patch (RFC 7396 §2): members of a patch object replace, merge into, or (when null) remove the target's.</summary>
public static class JsonMergePatch
{
    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/> without changing either; returns the result.</summary>
    public static JsonElement Apply(JsonElement target, JsonElement patch) =>
        JsonSerializer.SerializeToElement(Apply(JsonSerializer.SerializeToNode(target), patch));

    // RFC 7396's MergePatch(Target, Patch) function, on a mutable copy of the target.
    private static JsonNode? Apply(JsonNode? target, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return JsonSerializer.SerializeToNode(patch);
        }

        var result = target as JsonObject ?? [];
        foreach (var member in patch.EnumerateObject())
        {
            // Detach the current value first: a node can have only one parent, and it may come back merged.
            result.TryGetPropertyValue(member.Name, out var current);
            result.Remove(member.Name);
            if (member.Value.ValueKind != JsonValueKind.Null)
            {
                result[member.Name] = Apply(current, member.Value);
            }
        }

        return result;
    }
}
