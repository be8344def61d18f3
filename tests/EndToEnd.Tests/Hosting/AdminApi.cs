using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>UsageApi's admin API as the tests need it: create and revoke virtual keys with the master key.</summary>
public sealed class AdminApi(AppHostFixture fixture) : IDisposable
{
    private readonly HttpClient _http = AppHostProcess.NewHttpClient();

    /// <summary>A key made from <paramref name="settings"/> (<c>{"name": …, "rpm": …}</c>); its id and plain key.</summary>
    public async Task<(Guid Id, string Key)> CreateKeyAsync(JsonObject settings)
    {
        using var request = Request(HttpMethod.Post, "/v1/keys");
        request.Content = JsonContent.Create(settings);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"POST /v1/keys answered {(int)response.StatusCode}: {body}");

        using var created = JsonDocument.Parse(body);
        return (created.RootElement.GetProperty("id").GetGuid(), created.RootElement.GetProperty("key").GetString()!);
    }

    public async Task RevokeKeyAsync(Guid id)
    {
        using var request = Request(HttpMethod.Delete, $"/v1/keys/{id}");
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"DELETE /v1/keys/{id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The figures of <c>GET /v1/usage/summary?group_by=none</c> for one key over the last day, as UsageApi gives them.</summary>
    public async Task<JsonElement> SummaryOfKeyAsync(Guid keyId)
    {
        using var request = Request(HttpMethod.Get, $"/v1/usage/summary?group_by=none&key={keyId}");
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /v1/usage/summary answered {(int)response.StatusCode}: {body}");
        using var summary = JsonDocument.Parse(body);
        return summary.RootElement.GetProperty("data")[0].Clone();
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(HttpMethod method, string path) =>
        new(method, new Uri(fixture.UsageApiUrl, path)) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", fixture.MasterKey) } };
}
