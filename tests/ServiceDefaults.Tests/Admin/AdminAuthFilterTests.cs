using System.Text.Json;
using AiPlatform.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.ServiceDefaults.Tests.Admin;

/// <summary>
/// <see cref="AdminAuthFilter"/> on a <see cref="DefaultHttpContext"/>, with a fake token resolver. Its Redis is
/// unreachable (this project has no Redis server to start): failures are then not counted, which the limiter logs, and
/// which is itself the behaviour under test in <see cref="InvokeAsync_ManyFailuresWhileRedisIsDown_Each401NeverBlocked"/>.
/// The count, the block and its 429 are tested against real Redis in UsageApi.Tests (AdminAccess/FailedAdminAuthLimitTests).
/// </summary>
public sealed class AdminAuthFilterTests : IAsyncLifetime
{
    private const string MasterKey = "sk-aig-master-test-0123456789abcdefghij";
    private const string Token = "sk-aig-admin-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";
    private const int RejectedEvent = 3000;
    private const int NotCountedEvent = 3011;
    private const int ForbiddenEvent = 3012;
    private const int UnavailableEvent = 3013;

    private static readonly object s_handlerResult = new();

    private readonly RecordingLogger<AdminAuthFilter> _filterLog = new();
    private readonly RecordingLogger<FailedAdminAuthLimiter> _limiterLog = new();
    private readonly FakeTokens _tokens = new();
    private ConnectionMultiplexer _redis = null!;
    private AdminAuthFilter _filter = null!;
    private bool _handlerRan;

    public async Task InitializeAsync()
    {
        // Port 1 refuses at once; FailFast answers commands with an error instead of queueing them until a timeout.
        var options = ConfigurationOptions.Parse("127.0.0.1:1,abortConnect=false,connectTimeout=200,connectRetry=0");
        options.BacklogPolicy = BacklogPolicy.FailFast;
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        var limiter = new FailedAdminAuthLimiter(_redis, Options.Create(new AdminAuthOptions { FailuresPerWindow = 2 }), new TestEnvironment(),
            TimeProvider.System, _limiterLog);
        _filter = new AdminAuthFilter(new MasterKeyVerifier(MasterKey), _tokens, limiter, Addresses(ForwarderKey), _filterLog);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task InvokeAsync_MasterKey_RunsTheHandlerAsMasterWithoutAskingForTokens()
    {
        var (result, http) = await InvokeAsync(null, "Bearer " + MasterKey);

        Assert.Same(s_handlerResult, result);
        Assert.Same(AdminIdentity.Master, AdminIdentity.Of(http));
        Assert.Empty(_tokens.Asked);
        Assert.Empty(_filterLog.Entries.Concat(_limiterLog.Entries));
    }

    [Theory]
    [InlineData(new[] { "audit:read" }, new[] { "audit:read" })]
    [InlineData(new[] { "keys:write" }, new[] { "keys:read" })]
    [InlineData(new[] { "admin" }, new[] { "keys:write" })]
    [InlineData(new[] { "logs:read" }, new[] { "analytics:read", "logs:read" })]
    public async Task InvokeAsync_TokenWithAnOpeningScope_RunsTheHandlerAsThatToken(string[] scopes, string[] required)
    {
        var identity = _tokens.Add(Token, scopes);

        var (result, http) = await InvokeAsync(new AdminScopeRequirement(required), "Bearer " + Token);

        Assert.Same(s_handlerResult, result);
        Assert.Same(identity, AdminIdentity.Of(http));
        Assert.Equal([Token], _tokens.Asked);
    }

    [Theory]
    [InlineData(new[] { "keys:read" }, new[] { "keys:write" }, "keys:write")]
    [InlineData(new[] { "logs:read", "payloads:read" }, new[] { "audit:read" }, "audit:read")]
    [InlineData(new[] { "logs:read" }, new[] { "analytics:read", "prices:write" }, "one of analytics:read, prices:write")]
    public async Task InvokeAsync_TokenWithoutTheScope_Returns403InsufficientScopeNamingIt(string[] scopes, string[] required, string named)
    {
        _tokens.Add(Token, scopes);

        var (result, http) = await InvokeAsync(new AdminScopeRequirement(required), "Bearer " + Token);

        Assert.False(_handlerRan);
        var error = await ExecuteAsync(result, http, StatusCodes.Status403Forbidden);
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.Equal("insufficient_scope", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, message, StringComparison.Ordinal);
        Assert.False(http.Response.Headers.ContainsKey("WWW-Authenticate"));
        Assert.Equal([ForbiddenEvent], _filterLog.Entries.Select(e => e.EventId));
        // A missing scope is no failed authentication: nothing to count.
        Assert.Empty(_limiterLog.Entries);
    }

    [Fact]
    public async Task InvokeAsync_EndpointNamingNoScope_OnlyAdminOpensIt()
    {
        _tokens.Add(Token, [.. AdminScopes.All.Where(s => s != AdminScopes.Admin)]);

        var (result, http) = await InvokeAsync(null, "Bearer " + Token);

        Assert.False(_handlerRan);
        var error = await ExecuteAsync(result, http, StatusCodes.Status403Forbidden);
        Assert.Contains("admin", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string[]> WrongCredentials => new()
    {
        Array.Empty<string>(),
        new[] { "Bearer " + MasterKey[..^1] },
        new[] { "Bearer " + MasterKey + "x" },
        new[] { "Basic " + MasterKey },
        new[] { MasterKey },
        new[] { "Bearer " + MasterKey, "Bearer " + MasterKey },
        new[] { "Bearer " + Token },
        new[] { "Bearer sk-aig-admin-short" },
        new[] { "Bearer " },
    };

    [Theory]
    [MemberData(nameof(WrongCredentials))]
    public async Task InvokeAsync_NoOrWrongCredentials_Returns401WithBearerChallengeAndLogsNoCredential(string[] authorization)
    {
        var (result, http) = await InvokeAsync(null, authorization);

        Assert.False(_handlerRan);
        var error = await ExecuteAsync(result, http, StatusCodes.Status401Unauthorized);
        Assert.Equal("Bearer", http.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Null(http.Features.Get<AdminIdentity>());

        var rejected = Assert.Single(_filterLog.Entries);
        Assert.Equal((LogLevel.Warning, RejectedEvent), (rejected.Level, rejected.EventId));
        Assert.StartsWith("Rejected admin request POST /v1/keys from 203.0.113.9: ", rejected.Message, StringComparison.Ordinal);
        // The failure went to the limiter, which could not count it.
        Assert.Equal([NotCountedEvent], _limiterLog.Entries.Select(e => e.EventId));
        AssertNoCredentialLogged();
    }

    [Fact]
    public async Task InvokeAsync_MalformedToken_ResolverNeverAsked()
    {
        await InvokeAsync(null, "Bearer sk-aig-admin-short");
        await InvokeAsync(null, "Bearer " + MasterKey[..^1]);

        Assert.Empty(_tokens.Asked);
    }

    [Fact]
    public async Task InvokeAsync_ManyFailuresWhileRedisIsDown_Each401NeverBlocked()
    {
        for (var i = 0; i < 5; i++)
        {
            var (result, http) = await InvokeAsync(null, "Bearer wrong-" + i);
            await ExecuteAsync(result, http, StatusCodes.Status401Unauthorized);
        }

        var (afterwards, _) = await InvokeAsync(null, "Bearer " + MasterKey);
        Assert.Same(s_handlerResult, afterwards);
        Assert.Equal(5, _limiterLog.Entries.Count(e => e.EventId == NotCountedEvent));
    }

    [Fact]
    public async Task InvokeAsync_TokensUnavailable_Returns503AndCountsNoFailure()
    {
        _tokens.Unavailable = true;

        var (result, http) = await InvokeAsync(null, "Bearer " + Token);

        Assert.False(_handlerRan);
        var error = await ExecuteAsync(result, http, StatusCodes.Status503ServiceUnavailable);
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("auth_unavailable", error.GetProperty("code").GetString());
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString());
        Assert.False(http.Response.Headers.ContainsKey("WWW-Authenticate"));
        Assert.Equal([UnavailableEvent], _filterLog.Entries.Select(e => e.EventId));
        // Not a failed attempt: the limiter was not even asked to count it.
        Assert.Empty(_limiterLog.Entries);
        AssertNoCredentialLogged();
    }

    [Fact]
    public void ClientAddress_IPv4MappedToIPv6_TheIPv4Address()
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("::ffff:203.0.113.9");

        Assert.Equal("203.0.113.9", Addresses(ForwarderKey).Of(http));
    }

    [Theory]
    [InlineData("X-Forwarded-For", ForwarderKey)]
    [InlineData(AdminClientAddress.ForwardedForHeader, null)]
    [InlineData(AdminClientAddress.ForwardedForHeader, "sk-aig-fwd-wrong")]
    public void ClientAddress_ForwardedWithoutTheForwarderKey_TheConnectionsAddress(string header, string? key)
    {
        var http = Forwarded(header, "198.51.100.1", key);

        Assert.Equal("203.0.113.9", Addresses(ForwarderKey).Of(http));
    }

    [Fact]
    public void ClientAddress_ForwardedWithTheForwarderKey_TheForwardedAddress() =>
        Assert.Equal("198.51.100.1", Addresses(ForwarderKey).Of(Forwarded(AdminClientAddress.ForwardedForHeader, "198.51.100.1", ForwarderKey)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void ClientAddress_NoForwarderKeyConfigured_NeverTheForwardedAddress(string? configured) =>
        Assert.Equal("203.0.113.9", Addresses(configured).Of(Forwarded(AdminClientAddress.ForwardedForHeader, "198.51.100.1", "")));

    [Fact]
    public void ClientAddress_ForwardedValueNotAnAddress_TheConnectionsAddress() =>
        Assert.Equal("203.0.113.9", Addresses(ForwarderKey).Of(Forwarded(AdminClientAddress.ForwardedForHeader, "198.51.100.1, 10.0.0.1", ForwarderKey)));

    [Fact]
    public async Task InvokeAsync_ForwardedByTheDashboard_CountsAndRecordsTheBrowsersAddress()
    {
        var http = Forwarded(AdminClientAddress.ForwardedForHeader, "198.51.100.1", ForwarderKey);
        http.Request.Headers.Authorization = "Bearer " + MasterKey;

        var result = await _filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(http), _ => ValueTask.FromResult<object?>(s_handlerResult));

        Assert.Same(s_handlerResult, result);
        Assert.Equal("198.51.100.1", AdminCallerAddress.Of(http));
    }

    private const string ForwarderKey = "sk-aig-fwd-0123456789abcdefghijklmnopqrstuvwxyzABCD";

    private static AdminClientAddress Addresses(string? forwarderKey) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AIPLATFORM_FORWARDER_KEY"] = forwarderKey }).Build());

    private static DefaultHttpContext Forwarded(string header, string address, string? key)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.9");
        http.Request.Headers[header] = address;
        if (key is not null)
        {
            http.Request.Headers[AdminClientAddress.ForwarderKeyHeader] = key;
        }

        return http;
    }

    private async Task<(object? Result, DefaultHttpContext Http)> InvokeAsync(AdminScopeRequirement? required, params string[] authorization)
    {
        _handlerRan = false;
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Path = "/v1/keys";
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.9");
        http.Response.Body = new MemoryStream();
        if (authorization.Length > 0)
        {
            http.Request.Headers.Authorization = authorization;
        }

        http.SetEndpoint(new Endpoint(null, required is null ? EndpointMetadataCollection.Empty : new EndpointMetadataCollection(required), "test"));
        var result = await _filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(http), _ =>
        {
            _handlerRan = true;
            return ValueTask.FromResult<object?>(s_handlerResult);
        });
        return (result, http);
    }

    /// <summary>Writes the filter's answer and returns its OpenAI-shaped error after checking the status.</summary>
    private static async Task<JsonElement> ExecuteAsync(object? result, DefaultHttpContext http, int status)
    {
        await Assert.IsAssignableFrom<IResult>(result).ExecuteAsync(http);
        Assert.Equal(status, http.Response.StatusCode);
        http.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(http.Response.Body);
        return body.RootElement.GetProperty("error").Clone();
    }

    private void AssertNoCredentialLogged()
    {
        foreach (var (_, _, message) in _filterLog.Entries.Concat(_limiterLog.Entries))
        {
            Assert.DoesNotContain(MasterKey[..20], message, StringComparison.Ordinal);
            Assert.DoesNotContain(Token[..20], message, StringComparison.Ordinal);
            Assert.DoesNotContain("sk-aig-admin-short", message, StringComparison.Ordinal);
        }
    }

    private sealed class FakeTokens : IAdminTokenResolver
    {
        private readonly Dictionary<string, AdminIdentity> _tokens = new(StringComparer.Ordinal);

        public List<string> Asked { get; } = [];

        public bool Unavailable { get; set; }

        public AdminIdentity Add(string token, string[] scopes) =>
            _tokens[token] = AdminIdentity.Token(Guid.NewGuid(), "fake token", scopes, DateTimeOffset.UtcNow.AddDays(1));

        public ValueTask<AdminIdentity?> ResolveAsync(string token, CancellationToken cancellationToken)
        {
            Asked.Add(token);
            return Unavailable
                ? throw new AdminTokensUnavailableException("the usage database cannot be read: NpgsqlException")
                : ValueTask.FromResult(_tokens.GetValueOrDefault(token));
        }
    }

    private sealed class RecordingLogger<T> : ILogger<T>
    {
        public List<(LogLevel Level, int EventId, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "AdminAuthFilterTests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
