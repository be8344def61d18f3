using System.Net;
using System.Text.Json;
using AiPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AiPlatform.ServiceDefaults.Tests.Errors;

public sealed class ApiErrorsTests
{
    private static Task<(WebApplication App, HttpClient Client)> StartAsync() =>
        TestApp.StartAsync(_ => { }, app =>
        {
            app.UseApiErrors();
            app.MapGet("/boom", (HttpContext _) => throw new InvalidOperationException("secret connection string Password=hunter2"));
            app.MapPost("/only-post", () => Results.Ok());
        });

    [Fact]
    public async Task UnknownPath_Returns404InOpenAIShape()
    {
        var (app, client) = await StartAsync();
        await using var _ = app;

        using var response = await client.GetAsync(new Uri("/v1/nothing-here", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await ReadErrorAsync(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Contains("/v1/nothing-here", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task WrongMethod_Returns405InOpenAIShape()
    {
        var (app, client) = await StartAsync();
        await using var _ = app;

        using var response = await client.GetAsync(new Uri("/only-post", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("method_not_allowed", (await ReadErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task HandlerThrows_Returns500WithoutDetails()
    {
        var (app, client) = await StartAsync();
        await using var _ = app;

        using var response = await client.GetAsync(new Uri("/boom", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.Equal("server_error", (await ReadErrorAsync(response)).GetProperty("type").GetString());
    }

    private static async Task<JsonElement> ReadErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("error").Clone();
    }
}
