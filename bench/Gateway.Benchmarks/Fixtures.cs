using System.Text;

namespace AiPlatform.Gateway.Benchmarks;

/// <summary>
/// The request, answer and stream of <c>bench/fixtures/</c>: the bytes <c>bench/run.sh</c> sends and serves, so the
/// micro-benchmarks and the end-to-end run measure the same work. Embedded in the assembly (see the project file).
/// </summary>
public static class Fixtures
{
    /// <summary>The ~1 KB chat request, not streamed.</summary>
    public static byte[] ChatRequest { get; } = Load("chat-request.json");

    /// <summary>The same request with <c>"stream":true</c> and no <c>stream_options</c>: the Gateway adds them upstream.</summary>
    public static byte[] StreamingChatRequest { get; } = [.. "{\"stream\":true,"u8, .. ChatRequest.AsSpan(1)];

    /// <summary>The ~700-byte chat completion with <c>usage</c> that the fixed upstream answers.</summary>
    public static byte[] ChatCompletion { get; } = Load("chat-completion.json");

    /// <summary>The streamed answer: a dozen chunks, the usage chunk, <c>[DONE]</c>.</summary>
    public static byte[] ChatCompletionStream { get; } = Load("chat-completion.sse");

    /// <summary>The <c>data</c> of the stream's usage chunk (the one with empty <c>choices</c>).</summary>
    public static byte[] UsageChunkData { get; } = FindUsageChunk(ChatCompletionStream);

    private static byte[] Load(string name)
    {
        using var resource = typeof(Fixtures).Assembly.GetManifestResourceStream("fixtures/" + name)
            ?? throw new InvalidOperationException($"The fixture '{name}' is not embedded; see Gateway.Benchmarks.csproj.");
        using var buffer = new MemoryStream();
        resource.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static byte[] FindUsageChunk(byte[] stream)
    {
        foreach (var line in Encoding.UTF8.GetString(stream).Split('\n'))
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal) && line.Contains("\"choices\":[]", StringComparison.Ordinal))
            {
                return Encoding.UTF8.GetBytes(line["data: ".Length..]);
            }
        }

        throw new InvalidOperationException("chat-completion.sse has no usage chunk.");
    }
}
