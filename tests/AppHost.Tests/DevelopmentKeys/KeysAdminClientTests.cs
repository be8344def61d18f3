using System.Net;
using System.Text;
using AiPlatform.AppHost.DevelopmentKeys;

namespace AiPlatform.AppHost.Tests.DevelopmentKeys;

public class KeysAdminClientTests
{
    private const string Key = "sk-aig-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static readonly Uri s_adminApi = new("http://127.0.0.1:9081");

    [Fact]
    public async Task CreateKeyRequest_Name_PostsItWithTheMasterKey()
    {
        using var request = KeysAdminClient.CreateKeyRequest(s_adminApi, "sk-aig-master-test", "development");

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("http://127.0.0.1:9081/v1/keys"), request.RequestUri);
        Assert.Equal("Bearer sk-aig-master-test", request.Headers.Authorization?.ToString());
        Assert.Equal("application/json", request.Content?.Headers.ContentType?.MediaType);
        Assert.Equal("""{"name":"development"}""", await request.Content!.ReadAsStringAsync());
    }

    [Fact]
    public async Task CreateKeyAsync_Created_ReturnsThePlainKey()
    {
        HttpRequestMessage? sent = null;
        using var http = new HttpClient(new StubHandler(request =>
        {
            sent = request;
            return Answer(HttpStatusCode.Created, $$"""{"id":"0199a7c4-0000-7000-8000-000000000000","key":"{{Key}}","key_prefix":"sk-aig-AAAA","name":"development"}""");
        }));

        var key = await new KeysAdminClient(http).CreateKeyAsync(s_adminApi, "sk-aig-master-test", "development", CancellationToken.None);

        Assert.Equal(Key, key);
        Assert.Equal(new Uri("http://127.0.0.1:9081/v1/keys"), sent?.RequestUri);
    }

    [Fact]
    public async Task CreateKeyAsync_Unauthorized_ThrowsWithStatusAndMessage()
    {
        using var http = new HttpClient(new StubHandler(_ => Answer(
            HttpStatusCode.Unauthorized, """{"error":{"message":"Incorrect admin key.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""")));

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => new KeysAdminClient(http).CreateKeyAsync(s_adminApi, "wrong", "development", CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("Incorrect admin key.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"id":"x"}""")]
    [InlineData("""{"key":42}""")]
    [InlineData("""{"key":"sk-other-123"}""")]
    public void ReadPlainKey_NoVirtualKey_Throws(string json)
    {
        Assert.Throws<InvalidDataException>(() => KeysAdminClient.ReadPlainKey(json));
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
