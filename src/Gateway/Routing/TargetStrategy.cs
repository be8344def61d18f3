namespace AiPlatform.Gateway.Routing;

/// <summary>How a request's target is chosen among a model's available targets.</summary>
public enum TargetStrategy
{
    /// <summary>Random in proportion to <see cref="TargetOptions.Weight"/>.</summary>
    Weighted,

    /// <summary>The target with the fewest requests in flight from this Gateway replica.</summary>
    LeastOutstanding,

    /// <summary>
    /// The target whose estimated queue (announced waiting requests plus this replica's requests in flight to it) is
    /// shortest, then whose KV cache is least used.
    /// </summary>
    LeastBusy,

    /// <summary>
    /// Two targets drawn at random by weight, the less busy of the two taken: nearly as good as the least busy,
    /// without every Gateway replica herding onto the same one between two load reports.
    /// </summary>
    PowerOfTwoChoices,
}
