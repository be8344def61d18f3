using System.Net;

namespace AiPlatform.Gateway.Auth;

/// <summary>
/// Asks UsageApi for a key record when Redis has none (<c>GET /v1/keys/lookup/{hash}</c>, admin-authenticated).
/// UsageApi also writes the record back into Redis, so the next replica finds it there.
/// </summary>
public sealed class UsageApiKeyClient(HttpClient http)
{
    /// <summary>The record, null when UsageApi knows no such key; throws when UsageApi cannot answer.</summary>
    public async Task<KeyRecord?> LookupAsync(string hash, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"/v1/keys/lookup/{hash}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(KeyRecordJsonContext.Default.KeyRecord, cancellationToken)
            ?? throw new HttpRequestException("UsageApi answered a key lookup with an empty body.");
    }
}
