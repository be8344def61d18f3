using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AiPlatform.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AiPlatform.UsageApi.Tests;

/// <summary>Starts UsageApi in memory against the test's real Postgres and Redis.</summary>
internal static class UsageApiHost
{
    public const string MasterKey = "sk-aig-master-test-0123456789abcdefghij";

    public static WebApplicationFactory<Program> Create(string usageDb, RedisServer redis, string masterKey = MasterKey) =>
        Create(usageDb, redis, clock: null, masterKey: masterKey);

    /// <summary>UsageApi with <paramref name="clock"/> as its <see cref="TimeProvider"/> (when given) and extra settings.</summary>
    public static WebApplicationFactory<Program> Create(
        string usageDb, RedisServer redis, TimeProvider? clock, string masterKey = MasterKey, params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:usagedb", usageDb)
                .UseSetting("ConnectionStrings:cache", redis.ConnectionString)
                .UseSetting("AIPLATFORM_MASTER_KEY", masterKey)
                // Quick retries, so that tests which stop Redis see the repair soon after it is back.
                .UseSetting("Keys:SyncRetryMaxDelay", "00:00:00.500")
                .UseSetting("UsageApi:Prices:SyncRetryMaxDelay", "00:00:00.500")
                // Every test calls from 127.0.0.1 and many send wrong credentials on purpose: only the tests of the limit
                // itself (which set it lower) may be slowed by it.
                .UseSetting("AdminAuth:FailuresPerWindow", "10000");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            if (clock is not null)
            {
                web.ConfigureTestServices(services => services.AddSingleton(clock));
            }
        });

    /// <summary>A client that sends the master key.</summary>
    public static HttpClient CreateAdminClient(this WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonElement.Parse(await response.Content.ReadAsStringAsync());

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string uri, string json) =>
        client.PatchAsync(new Uri(uri, UriKind.Relative), Json(json));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string uri, string json) =>
        client.PostAsync(new Uri(uri, UriKind.Relative), Json(json));

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string uri) =>
        client.GetAsync(new Uri(uri, UriKind.Relative));

    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string uri) =>
        client.DeleteAsync(new Uri(uri, UriKind.Relative));

    /// <summary>Creates a key through the API; returns its id, plain key and the whole answer.</summary>
    public static async Task<(string Id, string Key, JsonElement Body)> CreateKeyAsync(this HttpClient client, string json = """{"name": "test"}""")
    {
        using var response = await client.PostJsonAsync("/v1/keys", json);
        var body = await response.ReadJsonAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Create answered {(int)response.StatusCode}: {body}");
        }

        return (body.GetProperty("id").GetString()!, body.GetProperty("key").GetString()!, body);
    }

    /// <summary>Asserts the body is OpenAI's error shape with this type, and returns the error object.</summary>
    public static async Task<JsonElement> AssertOpenAiErrorAsync(HttpResponseMessage response, string type, string? code = null)
    {
        var body = await response.ReadJsonAsync();
        Assert.Equal(["error"], body.EnumerateObject().Select(p => p.Name));
        var error = body.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(type, error.GetProperty("type").GetString());
        if (code is not null)
        {
            Assert.Equal(code, error.GetProperty("code").GetString());
        }

        return error;
    }
}
