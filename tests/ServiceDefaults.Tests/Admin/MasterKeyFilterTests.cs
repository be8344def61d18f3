using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AiPlatform.ServiceDefaults.Tests.Admin;

public sealed class MasterKeyFilterTests
{
    private const string MasterKey = "sk-aig-master-test";

    private static readonly object s_handlerResult = new();

    private readonly RecordingLogger _logger = new();

    private async Task<(object? Result, DefaultHttpContext Http)> InvokeAsync(params string[] authorization)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Path = "/v1/keys";
        if (authorization.Length > 0)
        {
            http.Request.Headers.Authorization = authorization;
        }

        var filter = new MasterKeyFilter(new MasterKeyVerifier(MasterKey), _logger);
        var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(http), _ => ValueTask.FromResult<object?>(s_handlerResult));
        return (result, http);
    }

    [Fact]
    public async Task InvokeAsync_MasterKey_RunsTheHandlerAndLogsNothing()
    {
        var (result, http) = await InvokeAsync("Bearer " + MasterKey);

        Assert.Same(s_handlerResult, result);
        Assert.False(http.Response.Headers.ContainsKey("WWW-Authenticate"));
        Assert.Empty(_logger.Entries);
    }

    [Theory]
    [InlineData("no Authorization header")]
    [InlineData("wrong or malformed credentials", "Bearer sk-aig-master-tes")]
    [InlineData("wrong or malformed credentials", "Bearer " + MasterKey, "Bearer " + MasterKey)]
    public async Task InvokeAsync_NoOrWrongCredentials_Returns401InvalidApiKeyWithBearerChallenge(string reason, params string[] authorization)
    {
        var (result, http) = await InvokeAsync(authorization);

        var unauthorized = Assert.IsAssignableFrom<IResult>(result);
        http.Response.Body = new MemoryStream();
        await unauthorized.ExecuteAsync(http);
        Assert.Equal(StatusCodes.Status401Unauthorized, http.Response.StatusCode);
        Assert.Equal("Bearer", http.Response.Headers.WWWAuthenticate.ToString());
        http.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(http.Response.Body);
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.DoesNotContain(MasterKey, error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var entry = Assert.Single(_logger.Entries);
        Assert.Equal((LogLevel.Warning, 3000), (entry.Level, entry.EventId));
        Assert.Equal($"Rejected admin request POST /v1/keys: {reason}", entry.Message);
    }

    /// <summary>The filter's log, kept to check that a refusal is logged once and never with the credential.</summary>
    private sealed class RecordingLogger : ILogger<MasterKeyFilter>
    {
        public List<(LogLevel Level, int EventId, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
    }
}
