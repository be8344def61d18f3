using System.Net;
using System.Text;
using AiPlatform.Gateway.Auth;
using AiPlatform.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AiPlatform.Gateway.Tests.Auth;

/// <summary>The key cache against a real Redis, with UsageApi's lookup played by a handler the test holds back.</summary>
public sealed class KeyResolverTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Invalidate_WhileTheKeyIsBeingLoaded_TheLoadedRecordIsNotKept()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        using var lookup = new HeldLookup();
        var resolver = Resolver(connection, lookup);
        var hash = NewHash();

        var loading = resolver.ResolveAsync(hash).AsTask();
        await lookup.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        resolver.Invalidate(hash);
        lookup.Answer();

        Assert.Equal(KeyLookupStatus.Found, (await loading.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        await resolver.ResolveAsync(hash);
        // What the load read may predate the change (a revocation): it answered its request and was not kept.
        Assert.Equal(2, lookup.Calls);
    }

    [Fact]
    public async Task Invalidate_WhileTheKeyIsBeingLoaded_ALaterRequestDoesNotJoinThatLoad()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        using var lookup = new HeldLookup();
        var resolver = Resolver(connection, lookup);
        var hash = NewHash();

        var loading = resolver.ResolveAsync(hash).AsTask();
        await lookup.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        resolver.Invalidate(hash);
        var afterTheChange = resolver.ResolveAsync(hash).AsTask();
        lookup.Answer();
        await Task.WhenAll(loading, afterTheChange).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, lookup.Calls);
    }

    [Fact]
    public async Task Resolve_NoInvalidation_TheLoadedRecordIsKept()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        using var lookup = new HeldLookup();
        lookup.Answer();
        var resolver = Resolver(connection, lookup);
        var hash = NewHash();

        await resolver.ResolveAsync(hash);
        await resolver.ResolveAsync(hash);

        Assert.Equal(1, lookup.Calls);
    }

    private static KeyResolver Resolver(IConnectionMultiplexer connection, HeldLookup lookup) =>
        new(connection, new UsageApiKeyClient(new HttpClient(lookup) { BaseAddress = new Uri("http://usageapi") }),
            Options.Create(new AuthOptions()), TimeProvider.System, NullLogger<KeyResolver>.Instance);

    /// <summary>A key hash no Redis holds: the resolver has to ask UsageApi.</summary>
    private static string NewHash() =>
        Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    /// <summary>UsageApi's <c>GET /v1/keys/lookup/{hash}</c>: a live key, once the test calls <see cref="Answer"/>.</summary>
    private sealed class HeldLookup : HttpMessageHandler
    {
        private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public void Answer() => _answer.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Asked.TrySetResult();
            await _answer.Task.WaitAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"id":"k1","name":"live","models":[],"revoked":false}""", Encoding.UTF8, "application/json"),
            };
        }
    }
}
