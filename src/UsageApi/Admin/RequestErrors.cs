using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.UsageApi.Keys;

namespace AiPlatform.UsageApi.Admin;

/// <summary>The OpenAI-shaped errors for a bad field of an admin or ingestion request, shared by the request parsers.</summary>
public static class RequestErrors
{
    /// <summary><paramref name="param"/> holds the wrong kind of JSON value; <paramref name="subject"/> names the part of it, if not all.</summary>
    public static ApiError InvalidType(string param, string expected, JsonElement actual, string subject = "") =>
        ApiError.BadRequest(
            $"Invalid type for '{param}'{(subject.Length == 0 ? "" : $" ({subject})")}: expected {expected}, but got {Describe(actual.ValueKind)} instead.",
            param, KeyErrorCodes.InvalidType);

    /// <summary><paramref name="param"/> breaks <paramref name="rule"/>.</summary>
    public static ApiError InvalidValue(string param, string rule) =>
        ApiError.BadRequest($"Invalid value for '{param}': {rule}.", param, KeyErrorCodes.InvalidValue);

    /// <summary>A JSON value kind as a message names it: "an object", "a string", ...</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
