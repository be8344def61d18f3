using System.Buffers;
using System.Text.Json;
using AiPlatform.Gateway.Requests;

namespace AiPlatform.Gateway.Forwarding;

/// <summary>
/// The body sent upstream: the client's bytes, patched only where the Gateway must change them.
/// The model name becomes the target's upstream name (inserted when the body named none, as a moderation may),
/// and a streamed request always asks for the usage chunk (<c>stream_options.include_usage</c>) because the
/// ledger and the token limits need it; the relay hides that chunk again from a client that did not ask for it.
/// When nothing changes, the client's buffer is sent as it is.
/// </summary>
public sealed class UpstreamBody : IDisposable
{
    private static readonly byte[] s_includeUsageOptions = """{"include_usage":true}"""u8.ToArray();
    private static readonly byte[] s_includeUsageProperty = "\"stream_options\":{\"include_usage\":true},"u8.ToArray();
    private static readonly byte[] s_modelPropertyName = "\"model\":"u8.ToArray();

    private byte[]? _rented;

    private UpstreamBody(ReadOnlyMemory<byte> content, byte[]? rented)
    {
        Content = content;
        _rented = rented;
    }

    public ReadOnlyMemory<byte> Content { get; }

    public static UpstreamBody Create(ReadOnlyMemory<byte> body, InferenceRequest request, string upstreamModel)
    {
        var renameModel = request.ModelOmitted || !string.Equals(upstreamModel, request.Model, StringComparison.Ordinal);
        var addUsage = request.Stream && !request.IncludeUsage;
        if (!renameModel && !addUsage)
        {
            return new UpstreamBody(body, null);
        }

        var source = body.Span;
        Span<Patch> patches = stackalloc Patch[2];
        var count = 0;
        byte[]? modelJson = null;
        if (renameModel)
        {
            modelJson = JsonSerializer.SerializeToUtf8Bytes(upstreamModel);
            // An omitted model's range is empty, just inside the opening brace: the member goes in before the first
            // one (the body has at least one, its payload) and so ends with a comma.
            modelJson = request.ModelOmitted ? [.. s_modelPropertyName, .. modelJson, (byte)','] : modelJson;
            patches[count++] = new Patch(request.ModelValue.Start, request.ModelValue.Length, PatchKind.Model);
        }

        if (addUsage)
        {
            patches[count++] = request.StreamOptionsValue is { } options
                ? new Patch(options.Start, options.Length, PatchKind.ReplaceStreamOptions)
                : new Patch(source.IndexOf((byte)'{') + 1, 0, PatchKind.InsertStreamOptions);
        }

        var used = patches[..count];
        used.Sort(static (a, b) => a.Start.CompareTo(b.Start));

        var rented = ArrayPool<byte>.Shared.Rent(source.Length + (modelJson?.Length ?? 0) + s_includeUsageProperty.Length);
        var written = 0;
        var position = 0;
        foreach (var patch in used)
        {
            source[position..patch.Start].CopyTo(rented.AsSpan(written));
            written += patch.Start - position;
            ReadOnlySpan<byte> replacement = patch.Kind switch
            {
                PatchKind.Model => modelJson,
                PatchKind.ReplaceStreamOptions => s_includeUsageOptions,
                _ => s_includeUsageProperty,
            };
            replacement.CopyTo(rented.AsSpan(written));
            written += replacement.Length;
            position = patch.Start + patch.Length;
        }

        source[position..].CopyTo(rented.AsSpan(written));
        written += source.Length - position;
        return new UpstreamBody(rented.AsMemory(0, written), rented);
    }

    public void Dispose()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private readonly record struct Patch(int Start, int Length, PatchKind Kind);

    private enum PatchKind
    {
        Model,
        ReplaceStreamOptions,
        InsertStreamOptions,
    }
}
