using System.Net;
using System.Text.Json;

namespace AiPlatform.UsageApi.Tests.AdminAccess;

/// <summary>Reads the audit log through <c>GET /v1/audit</c>.</summary>
internal static class AuditApi
{
    /// <summary>One page; asserts 200.</summary>
    public static async Task<JsonElement> ReadPageAsync(this HttpClient client, string query = "")
    {
        using var response = await client.GetAsync("/v1/audit" + query);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The audit log answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>The entries of one page, newest first.</summary>
    public static async Task<List<JsonElement>> ReadAuditAsync(this HttpClient client, string query = "") =>
        [.. (await client.ReadPageAsync(query)).GetProperty("data").EnumerateArray()];

    /// <summary>Every entry about one target, newest first.</summary>
    public static Task<List<JsonElement>> ReadAuditOfAsync(this HttpClient client, string targetType, string targetId) =>
        client.ReadAuditAsync($"?target_type={targetType}&target_id={Uri.EscapeDataString(targetId)}&limit=200");
}
