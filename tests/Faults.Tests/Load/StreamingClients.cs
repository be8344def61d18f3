using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace AiPlatform.Faults.Tests.Load;

/// <summary>
/// What a streaming client saw: the request id, the chunks it got (data events other than an error and <c>[DONE]</c>,
/// or the SDK's updates of the completion), the last data event and whether <c>[DONE]</c> came (raw only), and the exception that
/// ended the reading, if one did.
/// </summary>
public sealed record StreamOutcome(string RequestId, int Chunks, string? LastData, bool SawDone, Exception? Failure);

/// <summary>
/// Streaming chat completions read two ways: as raw server-sent events off the socket, and through the official OpenAI
/// .NET SDK as applications read them. Each reports once it has received <c>chunksBeforeSignal</c> chunks, so that a test
/// can break the stream in the middle, and then reads on until the stream ends, cleanly or not.
/// </summary>
public static class StreamingClients
{
    public static async Task<StreamOutcome> ReadRawAsync(
        Uri gateway, string key, string model, string text, int chunksBeforeSignal, TaskCompletionSource midStream)
    {
        using var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(1) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
            Content = JsonContent.Create(new { model, stream = true, messages = new[] { new { role = "user", content = text } } }),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var requestId = response.Headers.GetValues("aig-request-id").Single();
        var data = new List<string>();
        Exception? failure = null;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(body);
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line["data:".Length..].Trim());
                    if (data.Count == chunksBeforeSignal)
                    {
                        midStream.TrySetResult();
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            failure = ex;
        }

        var sawDone = data.Contains("[DONE]");
        var chunks = data.Count(d => d != "[DONE]" && !IsError(d));
        return new StreamOutcome(requestId, chunks, data.LastOrDefault(), sawDone, failure);
    }

    public static async Task<StreamOutcome> ReadThroughSdkAsync(
        Uri gateway, string key, string model, string text, int chunksBeforeSignal, TaskCompletionSource midStream)
    {
        var requestIds = new ResponseHeaderCapture("aig-request-id");
        var options = new OpenAIClientOptions { Endpoint = new Uri(gateway, "v1"), RetryPolicy = new ClientRetryPolicy(maxRetries: 0) };
        options.AddPolicy(requestIds, PipelinePosition.PerCall);
        var chat = new OpenAIClient(new ApiKeyCredential(key), options).GetChatClient(model);
        var updates = 0;
        Exception? failure = null;
        try
        {
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(text)]))
            {
                // The SDK hands OpenAI's error event over as an update too, one without a completion id.
                if (update.CompletionId is { Length: > 0 } && ++updates == chunksBeforeSignal)
                {
                    midStream.TrySetResult();
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        return new StreamOutcome(requestIds.Value ?? "", updates, LastData: null, SawDone: false, failure);
    }

    private static bool IsError(string data) => data.StartsWith('{') && JsonElement.Parse(data).TryGetProperty("error", out _);

    /// <summary>Keeps a header of the (last) response, as an application logs the Gateway's request id.</summary>
    private sealed class ResponseHeaderCapture(string name) : PipelinePolicy
    {
        public string? Value { get; private set; }

        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            ProcessNext(message, pipeline, currentIndex);
            Keep(message);
        }

        public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            await ProcessNextAsync(message, pipeline, currentIndex);
            Keep(message);
        }

        private void Keep(PipelineMessage message)
        {
            if (message.Response?.Headers.TryGetValue(name, out var value) == true)
            {
                Value = value;
            }
        }
    }
}
