namespace AiPlatform.Gateway.Forwarding;

/// <summary>How one attempt to one target ended.</summary>
public enum AttemptResult
{
    /// <summary>The target answered with success and the answer went to the client (completely, unless <see cref="AttemptOutcome.BrokenMidBody"/>).</summary>
    Delivered,

    /// <summary>The client went away; nothing more is to be done for it.</summary>
    ClientLeft,

    /// <summary>No connection (refused, unreachable, connect timeout): the request cannot have reached the target.</summary>
    Unreachable,

    /// <summary>No response headers within the time to first byte.</summary>
    TimedOut,

    /// <summary>The exchange broke before the response headers.</summary>
    Failed,

    /// <summary>The target answered with an error status; its body is kept to be passed on if no retry succeeds.</summary>
    ErrorStatus,
}

/// <summary>One attempt's end, with what a retry decision and the final error answer need.</summary>
public sealed record AttemptOutcome(AttemptResult Result)
{
    public static readonly AttemptOutcome ClientLeft = new(AttemptResult.ClientLeft);

    /// <summary>The target's error status, for an <see cref="AttemptResult.ErrorStatus"/>.</summary>
    public int Status { get; init; }

    /// <summary>The target's error answer (bounded), for an <see cref="AttemptResult.ErrorStatus"/>.</summary>
    public byte[] ErrorBody { get; init; } = [];

    /// <summary>The target's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A transport failure's message, for the logs.</summary>
    public string? Reason { get; init; }

    /// <summary>A delivered answer whose upstream failed after the first byte; the client got a cut answer marked as such.</summary>
    public bool BrokenMidBody { get; init; }
}
