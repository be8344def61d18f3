using System.Text;
using System.Text.Json;
using AiPlatform.Testing;

namespace AiPlatform.Gateway.Tests.Proxy;

/// <summary>Reads a raw SSE body as a test sees it: the <c>data:</c> payloads in order.</summary>
internal static class Sse
{
    public static List<string> DataPayloads(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Trim())
            .Where(e => e.StartsWith("data:", StringComparison.Ordinal))
            .Select(e => e["data:".Length..].Trim())];

    public static string ContentOf(IEnumerable<string> payloads) => string.Concat(payloads
        .Where(p => p != "[DONE]")
        .Select(p => JsonDocument.Parse(p).RootElement.GetProperty("choices"))
        .Where(c => c.GetArrayLength() > 0)
        .Select(c => c[0].GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : ""));

    /// <summary>The body as far as it came: the Gateway aborts the connection after a cut stream's error event.</summary>
    public static async Task<string> ReadUntilCutAsync(HttpResponseMessage response)
    {
        var received = new StringBuilder();
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(body);
            while (await reader.ReadLineAsync().WaitAsync(TestTimeouts.Default) is { } line)
            {
                received.Append(line).Append('\n');
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The cut itself: what came before it is the answer.
        }

        return received.ToString();
    }

    public static bool IsUsageChunk(string payload) =>
        payload != "[DONE]" &&
        JsonDocument.Parse(payload).RootElement is var root &&
        root.GetProperty("choices").GetArrayLength() == 0 &&
        root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object;
}
