using System.ClientModel;
using System.Net;
using System.Text;
using AiPlatform.InferenceWorker.Tests.Support;
using OpenAI.Chat;

namespace AiPlatform.InferenceWorker.Tests.Api;

public sealed class ValidationTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Theory]
    [InlineData("/v1/chat/completions", "{\"model\":\"sim\",", null)]
    [InlineData("/v1/chat/completions", "[1,2]", null)]
    [InlineData("/v1/chat/completions", "", null)]
    [InlineData("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model")]
    [InlineData("/v1/chat/completions", "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model")]
    [InlineData("/v1/chat/completions", "{\"model\":\"sim\"}", "messages")]
    [InlineData("/v1/chat/completions", "{\"model\":\"sim\",\"messages\":[]}", "messages")]
    [InlineData("/v1/chat/completions", "{\"model\":\"sim\",\"messages\":\"hi\"}", "messages")]
    [InlineData("/v1/chat/completions", "{\"model\":\"sim\",\"messages\":[{\"content\":\"hi\"}]}", "messages[0]")]
    [InlineData("/v1/chat/completions", "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\"}]}", "messages[0].content")]
    [InlineData("/v1/chat/completions", "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":0}", "max_tokens")]
    [InlineData("/v1/chat/completions", "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":0}", "n")]
    [InlineData("/v1/chat/completions", "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":5}", "stop")]
    [InlineData("/v1/chat/completions", "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":3}", "temperature")]
    [InlineData("/v1/chat/completions", "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}", "stream")]
    [InlineData("/v1/completions", "{\"model\":\"sim\"}", "prompt")]
    [InlineData("/v1/completions", "{\"model\":\"sim\",\"prompt\":{}}", "prompt")]
    [InlineData("/v1/embeddings", "{\"model\":\"sim\"}", "input")]
    [InlineData("/v1/embeddings", "{\"model\":\"sim\",\"input\":\"x\",\"encoding_format\":\"hex\"}", "encoding_format")]
    [InlineData("/v1/embeddings", "{\"model\":\"sim\",\"input\":\"x\",\"dimensions\":100000}", "dimensions")]
    public async Task Post_InvalidBody_Returns400InOpenAIShapeNamingParam(string path, string body, string? param)
    {
        using var client = fixture.Host.CreateClient();

        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var error = (await Sse.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("/v1/chat/completions", "{\"model\":\"gpt-nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")]
    [InlineData("/v1/completions", "{\"model\":\"gpt-nope\",\"prompt\":\"hi\"}")]
    [InlineData("/v1/embeddings", "{\"model\":\"gpt-nope\",\"input\":\"hi\"}")]
    public async Task Post_UnknownModel_Returns404ModelNotFound(string path, string body)
    {
        using var client = fixture.Host.CreateClient();

        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var error = (await Sse.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task CompleteChat_OfficialSdkUnknownModel_ThrowsWith404()
    {
        var exception = await Assert.ThrowsAsync<ClientResultException>(() =>
            fixture.Host.ChatClient("gpt-nope").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, exception.Status);
        Assert.Contains("gpt-nope", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ContentParts_Accepted()
    {
        using var client = fixture.Host.CreateClient();

        using var response = await Sse.PostAsync(client, "/v1/chat/completions", new
        {
            model = "sim",
            messages = new object[]
            {
                new { role = "user", content = new[] { new { type = "text", text = "Hello" } } },
                new { role = "assistant", content = (string?)null },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
