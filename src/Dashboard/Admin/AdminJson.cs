using System.Globalization;
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

    /// <summary>A time as the request bodies send it: UTC to the second (<c>2026-04-09T12:00:00Z</c>).</summary>
    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary><c>{"object": "list", "data": [...]}</c>.</summary>
public sealed record ListOf<T>(IReadOnlyList<T> Data);
