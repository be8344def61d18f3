using System.Net.Http.Headers;

namespace AiPlatform.Gateway.Usage;

/// <summary>Sends batches to UsageApi's ledger (<c>POST /v1/usage/events</c>, admin-authenticated).</summary>
public sealed class UsageApiClient(HttpClient http)
{
    /// <summary>Never throws: an unreachable or failing UsageApi is <see cref="DeliveryResult.Retry"/>.</summary>
    public async Task<DeliveryResult> SendAsync(ReadOnlyMemory<byte> batchJson, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/usage/events")
        {
            Content = new ReadOnlyMemoryContent(batchJson),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return (int)response.StatusCode switch
            {
                >= 200 and < 300 => DeliveryResult.Delivered,
                // Only "this body is wrong" means the batch will never be taken as it is. A 401, 403 or 404 is a setup
                // or deploy problem (wrong master key, an older UsageApi): keep the events until it is fixed.
                400 or 413 or 422 => DeliveryResult.Rejected,
                _ => DeliveryResult.Retry,
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return DeliveryResult.Retry;
        }
    }
}

public enum DeliveryResult
{
    Delivered,

    /// <summary>UsageApi is unreachable or failing: keep the batch and offer it again.</summary>
    Retry,

    /// <summary>UsageApi refused the batch itself (a bug, not an outage): set it aside for a person to look at.</summary>
    Rejected,
}
