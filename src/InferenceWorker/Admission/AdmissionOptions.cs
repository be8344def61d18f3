using System.ComponentModel.DataAnnotations;

namespace AiPlatform.InferenceWorker.Admission;

/// <summary>The <c>Inference:Admission</c> section: how many requests run and wait before the worker says no.</summary>
public sealed class AdmissionOptions
{
    public const string SectionName = "Inference:Admission";

    [Range(1, 1_000_000, ErrorMessage = "Inference:Admission:MaxRunning must be between {1} and {2}.")]
    public int MaxRunning { get; set; } = 64;

    [Range(0, 1_000_000, ErrorMessage = "Inference:Admission:MaxWaiting must be between {1} and {2}.")]
    public int MaxWaiting { get; set; } = 256;

    /// <summary>The <c>Retry-After</c> of a 503 when the queue is full.</summary>
    [Range(0, 3_600, ErrorMessage = "Inference:Admission:RetryAfterSeconds must be between {1} and {2}.")]
    public int RetryAfterSeconds { get; set; } = 1;
}
