namespace AiPlatform.Gateway.Forwarding;

/// <summary>How a forwarded request failed, if it did; each maps to one status the client sees.</summary>
public enum ForwarderError
{
    None,

    /// <summary>The last target tried could not be reached (refused, unreachable, connect timeout): 502.</summary>
    UpstreamUnreachable,

    /// <summary>The target did not answer within the response timeout: 504.</summary>
    UpstreamTimeout,

    /// <summary>The target broke the exchange before its response headers: 502.</summary>
    UpstreamRequestFailed,

    /// <summary>The target failed while its body was being relayed; the client's response was aborted.</summary>
    UpstreamResponseBody,

    /// <summary>The client went away; the upstream request was cancelled.</summary>
    ClientDisconnected,

    /// <summary>The target answered with an error status, passed on to the client.</summary>
    UpstreamErrorStatus,

    /// <summary>Every target of the model (and of its fallbacks) was ejected or cooling down: 503.</summary>
    NoTargetAvailable,
}
