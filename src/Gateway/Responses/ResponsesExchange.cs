using AiPlatform.Gateway.Requests;

namespace AiPlatform.Gateway.Responses;

/// <summary>
/// A Responses request on its way: as the client sent it (for a target that serves <c>/v1/responses</c> itself) and the
/// response body that translates a chat answer back, switched off for an attempt at such a target.
/// </summary>
/// <param name="Original">The request as parsed, its usage never patched in (a Responses stream always reports usage).</param>
/// <param name="OriginalBody">The client's bytes.</param>
/// <param name="Body">The translating response body of the request.</param>
public sealed record ResponsesExchange(InferenceRequest Original, ReadOnlyMemory<byte> OriginalBody, TranslatingResponseBody Body);
