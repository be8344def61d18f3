using System.ComponentModel.DataAnnotations;

namespace AiPlatform.Gateway.PassThrough;

/// <summary>
/// <c>Gateway:PassThrough</c>: how requests to other <c>/v1/</c> paths are taken. Which models take them at all is said
/// per model (<c>Gateway:Models:N:PassThrough</c>).
/// </summary>
public sealed class PassThroughOptions
{
    public const string SectionName = "Gateway:PassThrough";

    /// <summary>
    /// The model whose targets get a pass-through request that names none (the files and batches APIs, a listing, a
    /// download). Unset: such requests are refused with a 400 saying to name a model.
    /// </summary>
    public string? DefaultModel { get; set; }

    /// <summary>Largest body forwarded (512 MiB, OpenAI's limit for an uploaded file); larger ones get 413.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// How much of a body is read to find its model: a whole JSON body, or a multipart form up to its <c>model</c> field
    /// (32 MiB: a 25 MB audio file sent before the field). Only these bytes are held in memory; the rest streams.
    /// </summary>
    [Range(1024, int.MaxValue)]
    public int MaxModelScanBytes { get; set; } = 32 * 1024 * 1024;
}
