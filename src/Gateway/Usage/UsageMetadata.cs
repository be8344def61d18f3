using System.Text;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using AiPlatform.ServiceDefaults.Usage;

namespace AiPlatform.Gateway.Usage;

/// <summary>
/// <c>aig-metadata</c>: a JSON object the caller wants stored with the request's ledger record (team, feature,
/// user id…). Bounded in size; anything that is not a JSON object is refused with 400 rather than silently dropped.
/// </summary>
public static class UsageMetadata
{
    public const string Header = "aig-metadata";

    public static bool TryRead(HttpRequest request, int maxBytes, out JsonElement? metadata, out ApiError error)
    {
        metadata = null;
        error = null!;
        var value = request.Headers[Header];
        if (value.Count == 0)
        {
            return true;
        }

        var text = value.ToString();
        if (Encoding.UTF8.GetByteCount(text) > maxBytes)
        {
            error = ApiError.BadRequest($"Header '{Header}' must be at most {maxBytes} bytes.", Header);
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (!JsonText.IsStorable(document.RootElement))
                {
                    // UsageApi stores it as jsonb, which refuses both; it would fail the whole usage batch.
                    error = ApiError.BadRequest($"Header '{Header}' must not hold U+0000 or unpaired UTF-16 surrogates.", Header);
                    return false;
                }

                metadata = document.RootElement.Clone();
                return true;
            }
        }
        catch (JsonException)
        {
        }

        error = ApiError.BadRequest($"Header '{Header}' must be a JSON object.", Header);
        return false;
    }
}
