using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiPlatform.Dashboard.Admin;

/// <summary>The admin APIs speak snake_case JSON (OpenAI's style); the Dashboard reads and writes it the same way.</summary>
public static class AdminJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

/// <summary><c>{"object": "list", "data": [...]}</c>.</summary>
public sealed record ListOf<T>(IReadOnlyList<T> Data);
