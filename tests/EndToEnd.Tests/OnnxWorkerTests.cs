using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json.Nodes;
using AiPlatform.EndToEnd.Tests.Hosting;
using AiPlatform.Testing.Onnx;
using OpenAI;
using OpenAI.Chat;

namespace AiPlatform.EndToEnd.Tests;

/// <summary>
/// An onnx worker under the AppHost (<c>--onnx-model</c>), reached through the Gateway with the official SDK: the model
/// is announced and routed without Gateway configuration, and answers exactly what the model must.
/// </summary>
public sealed class OnnxWorkerTests(OnnxWorkerFixture platform) : IClassFixture<OnnxWorkerFixture>, IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http = AppHostProcess.NewHttpClient();
    private readonly AdminApi _admin = new(platform);

    public void Dispose()
    {
        _admin.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task Chat_OnnxModelThroughTheGateway_AnswersTheModelsTokensStreamedOrNot()
    {
        var (_, key) = await _admin.CreateKeyAsync(new JsonObject { ["name"] = "onnx end to end" });
        var chat = Client(key).GetChatClient(OnnxWorkerFixture.Model);
        // Greedy, so the answer is the model's known continuation of the ChatML prompt.
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 12 };
        const string message = "What does the tiny model say?";
        var expected = TinyDecoder.Continue(TinyDecoder.Encode(TinyDecoder.ChatPrompt(("user", message))), 12);
        var expectedText = new string([.. expected.Where(t => t < 128).Select(t => (char)t)]);

        var models = (await Client(key).GetOpenAIModelClient().GetModelsAsync().WaitAsync(s_timeout)).Value;
        ChatCompletion whole = await chat.CompleteChatAsync([new UserChatMessage(message)], options).WaitAsync(s_timeout);
        var streamed = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(message + " ")], options))
        {
            streamed.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        Assert.Contains(models, m => m.Id == OnnxWorkerFixture.Model);
        Assert.Equal(expectedText, whole.Content[0].Text);
        Assert.Equal(expected.Count, whole.Usage.OutputTokenCount);
        var expectedStreamed = TinyDecoder.Continue(TinyDecoder.Encode(TinyDecoder.ChatPrompt(("user", message + " "))), 12);
        Assert.Equal(new string([.. expectedStreamed.Where(t => t < 128).Select(t => (char)t)]), streamed.ToString());
    }

    private OpenAIClient Client(string key) => new(new ApiKeyCredential(key), new OpenAIClientOptions
    {
        Endpoint = new Uri(platform.GatewayUrl, "v1"),
        Transport = new HttpClientPipelineTransport(_http),
        NetworkTimeout = s_timeout,
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    });
}
