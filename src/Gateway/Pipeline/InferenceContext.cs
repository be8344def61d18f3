using System.Text.Json;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Responses;
using AiPlatform.Gateway.Routing;
using AiPlatform.Gateway.Usage;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Pipeline;

/// <summary>
/// One inference request on its way through the policies: what each policy found out, for the ones after it. A property
/// is set by the policy that establishes it (named on each) and read only by later ones.
/// </summary>
public sealed class InferenceContext
{
    public required HttpContext Http { get; init; }

    public required InferenceOperation Operation { get; init; }

    /// <summary>What happened to the request, kept for the ledger and the settlement after the answer.</summary>
    public required GatewayRequestFeature Feature { get; init; }

    /// <summary>The caller's virtual key (authentication).</summary>
    public KeyRecord Key { get; set; } = null!;

    /// <summary>The caller's address, as the key's rate limits and the ledger see it (authentication).</summary>
    public string ClientIp { get; set; } = "";

    /// <summary>The request body as received (request reading).</summary>
    public PooledBody Body { get; set; } = null!;

    /// <summary>What the body says (request reading; for a Responses request, the chat request it was translated to).</summary>
    public InferenceRequest Request { get; set; } = null!;

    /// <summary>What goes upstream instead of <see cref="Body"/> when it is not the client's body (a translated Responses request).</summary>
    public ReadOnlyMemory<byte>? ForwardedBody { get; set; }

    /// <summary>A Responses request as the client sent it, for targets that take it so (Responses).</summary>
    public ResponsesExchange? Responses { get; set; }

    /// <summary>Where the model goes (request reading).</summary>
    public ModelRoute Route { get; set; } = null!;

    /// <summary>How the response cache treats the request (request reading: its headers are validated with the rest).</summary>
    public CacheDirective Directive { get; set; } = null!;

    /// <summary><c>aig-request-timeout</c>, when sent (request reading).</summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary><c>aig-max-attempts</c>, or the configured default (request reading).</summary>
    public int MaxAttempts { get; set; }

    /// <summary><c>aig-metadata</c>, stored with the ledger record (request reading).</summary>
    public JsonElement? Metadata { get; set; }

    /// <summary>The prompt's tokens as estimated at admission (rate limiting), charged when a cut stream never reported usage.</summary>
    public int PromptEstimate { get; set; }

    /// <summary>Sees the answer as it passes (the payload log of a key with <c>log_payloads</c>; the response cache on a miss).</summary>
    public IResponseCapture? Capture { get; private set; }

    /// <summary>Adds a capture of the answer beside any set before (usage, then the response cache).</summary>
    public void AddCapture(IResponseCapture capture) => Capture = Capture is null ? capture : new TeeCapture(Capture, capture);

    /// <summary>Ends the request with an OpenAI-shaped error.</summary>
    public Task RefuseAsync(ApiError error, TimeSpan retryAfter = default) => Feature.RefuseAsync(Http.Response, error, retryAfter);
}
