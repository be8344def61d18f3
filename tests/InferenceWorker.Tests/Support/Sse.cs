using System.Net.Http.Json;
using System.Text.Json;

namespace AiPlatform.InferenceWorker.Tests.Support;

/// <summary>Reads a raw <c>text/event-stream</c> answer into its <c>data:</c> payloads.</summary>
public static class Sse
{
    public static async Task<List<string>> ReadDataAsync(HttpResponseMessage response)
    {
        var events = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var text = await reader.ReadToEndAsync();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", block, StringComparison.Ordinal);
            events.Add(block["data: ".Length..]);
        }

        return events;
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string? fault = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (fault is not null)
        {
            request.Headers.Add("aig-sim-fault", fault);
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
