using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AiPlatform.InferenceWorker.Engines.Simulator;

/// <summary>The <c>Inference:Simulator</c> section: the simulated model, its timing and its faults.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Inference:Simulator";

    [Required(ErrorMessage = "Inference:Simulator:Model must name the simulated model.")]
    public string Model { get; set; } = "sim";

    /// <summary>Delay before the first token (prefill); <c>0</c> for none.</summary>
    [Range(0, 600_000, ErrorMessage = "Inference:Simulator:TimeToFirstTokenMs must be between {1} and {2}.")]
    public int TimeToFirstTokenMs { get; set; } = 50;

    /// <summary>Delay between two tokens (decode); <c>0</c> for none.</summary>
    [Range(0, 60_000, ErrorMessage = "Inference:Simulator:InterTokenLatencyMs must be between {1} and {2}.")]
    public int InterTokenLatencyMs { get; set; } = 15;

    /// <summary>Sequences decoded at once (vLLM's <c>max_num_seqs</c>); further admitted requests wait.</summary>
    [Range(1, 100_000, ErrorMessage = "Inference:Simulator:MaxConcurrentSequences must be between {1} and {2}.")]
    public int MaxConcurrentSequences { get; set; } = 16;

    [Range(1, 16_384, ErrorMessage = "Inference:Simulator:EmbeddingDimensions must be between {1} and {2}.")]
    public int EmbeddingDimensions { get; set; } = 384;

    /// <summary>Upper bound of an answer's natural length in tokens; answers are 8 to this many tokens long.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Inference:Simulator:DefaultMaxTokens must be between {1} and {2}.")]
    public int DefaultMaxTokens { get; set; } = 64;

    /// <summary>
    /// A fault the requests meet (the share <see cref="FaultRate"/> of them): <c>none</c>, <c>500</c>, <c>429</c>,
    /// <c>503</c>, <c>timeout</c>, <c>drop-mid-stream</c>.
    /// </summary>
    public string Fault { get; set; } = "none";

    /// <summary>
    /// The share of requests, 0 to 1, that meet <see cref="Fault"/>, drawn per request: 1 (every request) by default,
    /// less for a flaky worker, the kind that retries and outlier ejection are for. A fault chosen with the header is
    /// always played.
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "Inference:Simulator:FaultRate must be between {1} and {2}.")]
    public double FaultRate { get; set; } = 1.0;

    /// <summary>Whether a request may choose its fault with the <c>aig-sim-fault</c> header.</summary>
    public bool AllowFaultHeader { get; set; }
}

internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options) =>
        SimulatedFaults.TryParse(options.Fault, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Inference:Simulator:Fault must be one of {SimulatedFaults.Names}; it is '{options.Fault}'.");
}
