using System.Net.Http.Json;
using System.Text;

namespace AiPlatform.Gateway.Tests.Policies;

/// <summary>Small request helpers for the policy tests.</summary>
internal static class Chat
{
    public static HttpContent Body(string text, string model = "sim", bool stream = false, int? maxTokens = null, double? temperature = null) =>
        JsonContent.Create(new Dictionary<string, object?>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = text } },
            ["stream"] = stream ? true : null,
            ["max_tokens"] = maxTokens,
            ["temperature"] = temperature,
        }.Where(p => p.Value is not null).ToDictionary());

    public static HttpContent Raw(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, HttpContent body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = body };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return client.SendAsync(request);
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
