using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiPlatform.AppHost.DevelopmentKeys;

/// <summary>
/// Creates a virtual key through UsageApi's admin API: <c>POST /v1/keys</c>, Bearer master key, <c>{"name": …}</c>,
/// answered by 201 with the plain key, which is never shown again. One attempt: the call is not idempotent, and a
/// retry after a lost answer would leave a second key behind.
/// </summary>
internal sealed class KeysAdminClient(HttpClient http)
{
    public const string KeysPath = "/v1/keys";

    /// <summary>What every virtual key starts with (ARCHITECTURE.md).</summary>
    public const string KeyPrefix = "sk-aig-";

    public static HttpRequestMessage CreateKeyRequest(Uri adminApi, string masterKey, string name) =>
        new(HttpMethod.Post, new Uri(adminApi, KeysPath))
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", masterKey) },
            Content = new StringContent(new JsonObject { ["name"] = name }.ToJsonString(), Encoding.UTF8, "application/json"),
        };

    /// <summary>The plain key of a new key named <paramref name="name"/>.</summary>
    /// <exception cref="HttpRequestException">UsageApi could not be reached or did not answer 201; the message says what it answered.</exception>
    /// <exception cref="InvalidDataException">The 201 answer holds no key.</exception>
    public async Task<string> CreateKeyAsync(Uri adminApi, string masterKey, string name, CancellationToken cancellationToken)
    {
        using var request = CreateKeyRequest(adminApi, masterKey, name);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new HttpRequestException(
                $"POST {request.RequestUri} answered {(int)response.StatusCode} {response.ReasonPhrase}{ErrorMessageOf(body)}",
                inner: null, response.StatusCode);
        }

        return ReadPlainKey(body);
    }

    /// <summary>The <c>key</c> of a creation answer, checked to look like a virtual key.</summary>
    /// <exception cref="InvalidDataException">It is not JSON, has no <c>key</c>, or the key does not look like one.</exception>
    public static string ReadPlainKey(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("key", out var key)
                && key.ValueKind == JsonValueKind.String
                && key.GetString() is { } value
                && value.StartsWith(KeyPrefix, StringComparison.Ordinal))
            {
                return value;
            }
        }
        catch (JsonException)
        {
            // Reported below, like any other answer without a key.
        }

        throw new InvalidDataException($"UsageApi created a key but its answer holds no \"key\" starting with {KeyPrefix}.");
    }

    /// <summary>": {message}" from OpenAI's error shape, which UsageApi answers with; empty when the body has none.</summary>
    private static string ErrorMessageOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String
                    ? $": {message.GetString()}"
                    : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
