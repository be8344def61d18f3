using System.Text.Json;
using AiPlatform.Gateway.Auth;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Resilience;
using AiPlatform.Gateway.Usage;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace AiPlatform.Fuzz.Tests.Gateway;

/// <summary>
/// The <c>aig-*</c> request headers (timeout, attempts, metadata, cache TTL, skip and key) never throw whatever their
/// values; a bad one is a 400. Accepted metadata must be text UsageApi can store (Postgres <c>jsonb</c>: no NUL, no lone
/// surrogate) and must serialise, since it travels in the request's usage event.
/// </summary>
public sealed class GatewayHeaderProperties(ITestOutputHelper output)
{
    public sealed record Headers(IReadOnlyList<KeyValuePair<string, string>> Values)
    {
        public override string ToString() => string.Join("; ", Values.Select(v => $"{v.Key}: {JsonSerializer.Serialize(v.Value)}"));
    }

    private static readonly string[] s_numbers =
        ["1", "0", "-1", "1.5", "0.000001", "1e-300", "1e308", "NaN", "Infinity", "-Infinity", "86400", "86401", "5", "6", " 3", "3 ", "+3",
         "0x10", "", "true", "99999999999999999999", "2147483648", "1,5", "١", "3\0"];

    private static Gen<string> Value(string name)
    {
        var text = Generators.Text(hostile: true);
        var json = Generators.Value(hostile: true).Select(v => v.Render());
        var metadata = Generators.Object(Generators.Key(hostile: true), Generators.Value(hostile: true)).Select(v => v.Render());
        return name == UsageMetadata.Header
            ? Gen.Frequency((4, metadata), (1, json), (1, text))
            : Gen.Frequency((4, Gen.Elements(s_numbers)), (1, text), (1, Gen.Elements("true", "TRUE", "false", "yes")));
    }

    [Fact]
    public void GatewayHeaders_ArbitraryValues_NeverThrowAndRefuseWith400()
    {
        string[] names = [GatewayHeaders.RequestTimeout, GatewayHeaders.MaxAttempts, UsageMetadata.Header, CacheHeaders.Ttl, CacheHeaders.Skip, CacheHeaders.Key];
        var headers = Gen.SubListOf(names).SelectMany(chosen =>
            Gen.CollectToList(chosen.Select(name => Value(name).Select(value => KeyValuePair.Create(name, value)))))
            .Select(values => new Headers([.. values]));
        FuzzRunner.Run(output, "gateway.headers", headers.ToArbitrary(), Check);
    }

    private static readonly byte[] s_body = """{"model":"m","messages":[{"role":"user","content":"hi"}]}"""u8.ToArray();

    private static void Check(Headers input)
    {
        var http = new DefaultHttpContext();
        foreach (var (name, value) in input.Values)
        {
            http.Request.Headers[name] = value;
        }

        if (!GatewayRequestHeaders.TryReadRequestTimeout(http.Request, out var timeout, out var error))
        {
            InferenceRequestParserProperties.AssertBadRequest(error);
        }
        else if (timeout is { } accepted)
        {
            Assert.True(accepted > TimeSpan.Zero, $"aig-request-timeout accepted as {accepted}");
        }

        if (!GatewayRequestHeaders.TryReadMaxAttempts(http.Request, new ResilienceOptions(), out _, out error))
        {
            InferenceRequestParserProperties.AssertBadRequest(error);
        }

        if (!UsageMetadata.TryRead(http.Request, 4096, out var metadata, out error))
        {
            InferenceRequestParserProperties.AssertBadRequest(error);
        }
        else if (metadata is { } element)
        {
            Storable.AssertJson(element);
            Assert.NotEmpty(JsonSerializer.Serialize(element));
        }

        var request = new InferenceRequest(InferenceOperation.ChatCompletions, "m", new ByteRange(9, 3), false, false, null, null);
        var key = new KeyRecord { Id = "k" };
        if (CacheDirective.From(http.Request, request, s_body, key, new CacheOptions(), out var cacheError) is null)
        {
            InferenceRequestParserProperties.AssertBadRequest(cacheError!);
        }
    }
}
