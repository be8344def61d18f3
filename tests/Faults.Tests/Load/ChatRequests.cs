using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace AiPlatform.Faults.Tests.Load;

/// <summary>Chat completion requests as an application sends them.</summary>
public static class ChatRequests
{
    /// <summary>
    /// A short chat completion with <paramref name="key"/>; every <paramref name="text"/> should differ, so that each request
    /// reaches the model rather than the response cache.
    /// </summary>
    public static HttpRequestMessage Completion(string key, string text, string model = "sim", int maxTokens = 4) =>
        new(HttpMethod.Post, "/v1/chat/completions")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
            Content = JsonContent.Create(new { model, max_tokens = maxTokens, messages = new[] { new { role = "user", content = text } } }),
        };
}
