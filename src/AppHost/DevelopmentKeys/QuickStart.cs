using System.Text;

namespace AiPlatform.AppHost.DevelopmentKeys;

/// <summary>
/// The text printed at every start: the development key, a <c>curl</c> call and OpenAI SDK clients for Python and C#,
/// each ready to paste. Every command is one line, so it can be copied from a terminal as it stands.
/// </summary>
internal static class QuickStart
{
    /// <summary>The headline, shown as an AppHost message.</summary>
    public static string Title(DevelopmentKey key) => key.Created
        ? $"Development key (created now, kept in {key.Path}): {key.Value}"
        : $"Development key (from {key.Path}): {key.Value}";

    /// <summary>The examples, printed without the <c>[apphost]</c> prefix so that they paste as they are.</summary>
    /// <param name="key">The plain development key.</param>
    /// <param name="gateway">The Gateway's base address (<c>http://127.0.0.1:8080</c>).</param>
    /// <param name="model">A model the Gateway serves.</param>
    public static string Examples(string key, Uri gateway, string model)
    {
        var baseUrl = new Uri(gateway, "v1").ToString();
        return new StringBuilder()
            .AppendLine("  Try it with curl:")
            .AppendLine($$"""    curl {{baseUrl}}/chat/completions -H "Authorization: Bearer {{key}}" -H "Content-Type: application/json" -d '{"model":"{{model}}","messages":[{"role":"user","content":"Hello"}]}'""")
            .AppendLine("  OpenAI SDK for Python:")
            .AppendLine("    from openai import OpenAI")
            .AppendLine($"""    client = OpenAI(base_url="{baseUrl}", api_key="{key}")""")
            .AppendLine("  OpenAI SDK for .NET (package OpenAI):")
            .AppendLine($$"""    var client = new OpenAIClient(new ApiKeyCredential("{{key}}"), new OpenAIClientOptions { Endpoint = new Uri("{{baseUrl}}") });""")
            .ToString()
            .TrimEnd('\n');
    }
}
