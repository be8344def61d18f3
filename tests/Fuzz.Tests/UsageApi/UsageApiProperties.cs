extern alias usageapi;

using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using usageapi::AiPlatform.UsageApi.Admin;
using usageapi::AiPlatform.UsageApi.AdminTokens;
using usageapi::AiPlatform.UsageApi.Analytics;
using usageapi::AiPlatform.UsageApi.Audit;
using usageapi::AiPlatform.UsageApi.Keys;
using usageapi::AiPlatform.UsageApi.Ledger;
using Xunit.Abstractions;
using static AiPlatform.Fuzz.Tests.Generators;
using ApiError = AiPlatform.ServiceDefaults.Errors.ApiError;
using ApiErrorTypes = AiPlatform.ServiceDefaults.Errors.ApiErrorTypes;

namespace AiPlatform.Fuzz.Tests.UsageApi;

/// <summary>
/// UsageApi's parsers of client bytes: the usage event batch (<c>POST /v1/usage/events</c>), key create and patch,
/// admin token create, and the audit and analytics queries. None throws; a refusal is a 4xx <c>invalid_request_error</c>;
/// what is accepted is text PostgreSQL can store (no U+0000, no lone surrogate), or the insert would answer 500.
/// </summary>
public sealed class UsageApiProperties(ITestOutputHelper output)
{
    private static readonly DateTimeOffset s_now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static Gen<Json> Str(bool hostile) => Text(hostile).Select(t => (Json)new JsonString(t));

    private static Gen<Json> Lit(params string[] literals) => Gen.Elements(literals).Select(l => (Json)new JsonLiteral(l));

    private static Gen<Json> Time => Gen.Frequency(
        (4, Lit("\"2026-01-31T12:00:00Z\"", "\"2026-01-31T12:00:00.123+02:00\"", "\"2027-01-01T00:00:00\"")),
        (1, Lit("\"1999-12-31T23:59:59Z\"", "\"2100-01-01T00:00:00Z\"", "\"2026-13-01\"", "\"9999-12-31T23:59:59.9999999-14:00\"", "\"0001-01-01T00:00:00+14:00\"", "1")),
        (1, Str(true)));

    private static Gen<Json> Metadata => Object(Key(hostile: true), Value(hostile: true));

    private static Gen<Json> Event() => Body(true,
    [
        ("request_id", Str(true)), ("timestamp", Time), ("status_code", Number(true)), ("key_id", Str(true)), ("key_name", Str(true)),
        ("requested_model", Str(true)), ("served_model", Str(true)), ("target", Str(true)), ("error_code", Str(true)),
        ("stream", Lit("true", "false")), ("cached", Lit("true", "false", "null")), ("prompt_tokens", Number(true)),
        ("completion_tokens", Number(true)), ("total_tokens", Number(true)), ("latency_ms", Number(true)), ("ttfb_ms", Number(true)),
        ("retries", Number(true)), ("client_ip", Str(true)), ("metadata", Metadata), ("path", Str(true)), ("request_bytes", Number(true)),
        ("response_bytes", Number(true)),
        ("trace_id", Gen.OneOf(Lit("\"4bf92f3577b34da6a3ce929d0e0e4736\"", "\"00000000000000000000000000000000\""), Str(true))),
        ("payload", Gen.Zip(Str(true), Str(true)).Select(t => (Json)new JsonObject(
            [KeyValuePair.Create("request", t.Item1), KeyValuePair.Create("response", t.Item2), KeyValuePair.Create("truncated", (Json)new JsonLiteral("false"))]))),
    ]).Select(e => e is JsonObject o
        // Most events carry the three required fields, valid, so that the optional ones are reached.
        ? (Json)new JsonObject(
        [
            KeyValuePair.Create("request_id", (Json)new JsonString("r1")),
            KeyValuePair.Create("timestamp", (Json)new JsonLiteral("\"2026-01-31T12:00:00Z\"")),
            KeyValuePair.Create("status_code", (Json)new JsonLiteral("200")),
            .. o.Members.Where(m => m.Key is not ("request_id" or "timestamp" or "status_code") || m.Value is JsonString { Escaped: "" }),
        ])
        : e);

    private static Gen<FuzzInput> EventBatches() => Gen.Frequency(
        (8, UpTo(Event(), 3).Select(events => (Json)new JsonObject([KeyValuePair.Create("events", (Json)new JsonArray(events))]))),
        (1, Event()),
        (1, Value(hostile: true))).Select(json => FuzzInput.Of(json.Render()));

    private static Gen<FuzzInput> KeyBodies() => Body(true,
    [
        ("name", Str(true)), ("rpm", Number(true)), ("tpm", Number(true)), ("budget_usd", Number(true)),
        ("budget_period", Gen.OneOf(Lit("\"daily\"", "\"monthly\"", "null"), Str(true))),
        ("models", UpTo(Str(true), 3).Select(m => (Json)new JsonArray(m))), ("expires_at", Time), ("metadata", Metadata),
        ("cache_namespace", Str(true)), ("log_payloads", Lit("true", "false", "null")),
        ("scopes", UpTo(Gen.OneOf(Lit("\"keys:read\"", "\"admin\"", "\"analytics:read\""), Str(true)), 3).Select(s => (Json)new JsonArray(s))),
    ]).Select(json => FuzzInput.Of(json.Render()));

    [Fact]
    public void UsageEventParser_ArbitraryBatches_NeverThrowsAndAcceptsOnlyStorableText() =>
        FuzzRunner.Run(output, "usageapi.events", EventBatches().ToArbitrary(), input => WithDocument(input, body =>
        {
            if (!UsageEventParser.TryParse(body, out var events, out var error))
            {
                AssertClientError(error);
                return;
            }

            foreach (var e in events)
            {
                foreach (var (name, text) in new[] { ("request_id", e.RequestId), ("key_id", e.KeyId), ("key_name", e.KeyName),
                    ("requested_model", e.RequestedModel), ("served_model", e.ServedModel), ("target", e.Target), ("error_code", e.ErrorCode),
                    ("client_ip", e.ClientIp), ("trace_id", e.TraceId), ("path", e.Path), ("payload.request", e.Payload?.Request),
                    ("payload.response", e.Payload?.Response) })
                {
                    Storable.AssertText(text, name);
                }

                if (e.MetadataJson is { } metadata)
                {
                    Storable.AssertJson(metadata);
                }
            }
        }));

    [Fact]
    public void AdminBodyParsers_ArbitraryBodies_NeverThrowAndAcceptOnlyStorableText() =>
        FuzzRunner.Run(output, "usageapi.admin", KeyBodies().ToArbitrary(), input => WithDocument(input, body =>
        {
            if (KeyRequestParser.TryParseCreate(body, s_now, out var created, out var error))
            {
                AssertStorable(created);
            }
            else
            {
                AssertClientError(error);
            }

            if (KeyRequestParser.TryParsePatch(body, out var patch, out error))
            {
                AssertStorable(patch);
            }
            else
            {
                AssertClientError(error);
            }

            if (AdminTokenRequest.TryParse(body, s_now, out var token, out error))
            {
                Storable.AssertText(token.Name, "name");
            }
            else
            {
                AssertClientError(error);
            }
        }));

    public sealed record Query(IReadOnlyList<KeyValuePair<string, string[]>> Values)
    {
        public override string ToString() => JsonSerializer.Serialize(Values);
    }

    [Fact]
    public void QueryParsers_ArbitraryQueries_NeverThrowAndRefuseWith400()
    {
        string[] names = ["from", "to", "key", "model", "status", "cached", "stream", "target", "path", "trace_id", "metadata.team", "metadata.", "limit",
            "cursor", "group_by", "bucket", "action", "actor_id", "target_type", "target_id"];
        string[] values = ["", "1", "0", "-1", "1000", "1001", "5xx", "429", "6xx", "true", "false", "hour", "day", "minute", "model", "key", "none",
            "2026-01-31T12:00:00Z", "2026-01-31", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "4bf92f3577b34da6a3ce929d0e0e4736",
            "key.created", "key", "abc", "\0", "a\0b", "%00", "eyJ9", "=="];
        var value = Gen.Frequency((4, Gen.Elements(values)), (1, Text(hostile: true)));
        var query = UpTo(Gen.Zip(Gen.Elements(names), UpTo(value, 2).Select(v => v.ToArray())), 6)
            .Select(pairs => new Query([.. pairs.DistinctBy(p => p.Item1).Select(p => KeyValuePair.Create(p.Item1, p.Item2))]));
        FuzzRunner.Run(output, "usageapi.queries", query.ToArbitrary(), input =>
        {
            var collection = new QueryCollection(input.Values.ToDictionary(p => p.Key, p => new StringValues(p.Value)));
            if (AnalyticsRequestParser.TryParseFilter(collection, s_now, out var filter, out var error))
            {
                foreach (var text in new[] { filter.KeyId, filter.Model, filter.Target, filter.Path, filter.TraceId })
                {
                    Storable.AssertText(text, "a filter");
                }

                foreach (var match in filter.Metadata ?? [])
                {
                    Storable.AssertText(match.Name, "a metadata filter's name");
                    Storable.AssertText(match.Value, "a metadata filter's value");
                }

                if (!AnalyticsRequestParser.TryParseBucket(collection, filter, out _, out error))
                {
                    AssertClientError(error);
                }
            }
            else
            {
                AssertClientError(error);
            }

            if (!AnalyticsRequestParser.TryParsePage(collection, out _, out _, out error))
            {
                AssertClientError(error);
            }

            if (!AnalyticsRequestParser.TryParseGrouping(collection, out _, out error))
            {
                AssertClientError(error);
            }

            if (AuditQuery.TryParse(collection, out _, out error) is false)
            {
                AssertClientError(error!);
            }
        });
    }

    /// <summary>Reads the body as every admin and ingestion endpoint does (<see cref="JsonRequestBody"/>), then checks the parser.</summary>
    private static void WithDocument(FuzzInput input, Action<JsonElement> check)
    {
        var http = new DefaultHttpContext();
        http.Request.Body = new MemoryStream(input.Bytes);
        var (document, error) = JsonRequestBody.ReadAsync(http.Request, CancellationToken.None).GetAwaiter().GetResult();
        using (document)
        {
            if (document is null)
            {
                AssertClientError(error!);
                return;
            }

            check(document.RootElement);
        }
    }

    private static void AssertStorable(KeyChanges changes)
    {
        Storable.AssertText(changes.Name.Value, "name");
        Storable.AssertText(changes.CacheNamespace.Value, "cache_namespace");
        foreach (var model in changes.Models.Value ?? [])
        {
            Storable.AssertText(model, "models[]");
        }

        if (changes.Metadata.Value is { } metadata)
        {
            Storable.AssertJson(metadata);
        }
    }

    private static void AssertClientError(ApiError error)
    {
        Assert.InRange(error.StatusCode, 400, 499);
        Assert.Equal(ApiErrorTypes.InvalidRequest, error.Type);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
