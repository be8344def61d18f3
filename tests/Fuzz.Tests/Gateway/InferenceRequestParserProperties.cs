using System.Text.Json;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Forwarding;
using AiPlatform.Gateway.Requests;
using AiPlatform.Gateway.Responses;
using AiPlatform.ServiceDefaults.Errors;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace AiPlatform.Fuzz.Tests.Gateway;

/// <summary>
/// <see cref="InferenceRequestParser.TryParse(ReadOnlySpan{byte}, InferenceOperation, out InferenceRequest?, out ApiError?)"/> on every operation never throws; a refusal is a 400
/// <c>invalid_request_error</c> with a message; an accepted body has a model, byte ranges inside the body (or, for a
/// moderation naming no model, an insertion point whose upstream body is still JSON), and a cache key (whose canonical
/// form re-reads the body) that can be computed.
/// </summary>
public sealed class InferenceRequestParserProperties(ITestOutputHelper output)
{
    [Fact]
    public void TryParse_ArbitraryBytes_NeverThrowsAndRefusesWith400() =>
        FuzzRunner.Run(output, "gateway.parser.bytes", GatewayBodies.Cases(_ => Generators.Bytes()).ToArbitrary(), Check);

    [Fact]
    public void TryParse_GrammarBodies_NeverThrowsAndRefusesWith400() =>
        FuzzRunner.Run(output, "gateway.parser.grammar",
            GatewayBodies.Cases(operation => Generators.Encode(GatewayBodies.Hostile(operation).Select(json => json.Render()))).ToArbitrary(), Check);

    [Fact]
    public void TryParse_MutatedValidBodies_NeverThrowsAndRefusesWith400() =>
        FuzzRunner.Run(output, "gateway.parser.mutations",
            GatewayBodies.Cases(operation => Generators.Mutate(GatewayBodies.Valid(operation).Select(json => FuzzInput.Of(json.Render())))).ToArbitrary(), Check);

    internal static void Check(ParserCase input)
    {
        var body = input.Body.Bytes;
        if (!InferenceRequestParser.TryParse(body, input.Operation, out var request, out var error))
        {
            AssertBadRequest(error);
            return;
        }

        Assert.False(string.IsNullOrEmpty(request.Model));
        if (request.ModelOmitted)
        {
            AssertModelInsertedUpstream(body, request);
        }
        else
        {
            AssertQuotedString(body, request.ModelValue);
        }

        if (request.StreamOptionsValue is { } options)
        {
            Assert.InRange(options.Start, 0, body.Length);
            Assert.InRange(options.End, options.Start, body.Length);
        }

        if (input.Operation == InferenceOperation.Responses)
        {
            CheckTranslation(body);
        }

        Assert.StartsWith("aig:cache:key:k:", CacheKey.For("key:k", input.Operation, body, callerKey: null, request.ModelOmitted ? request.Model : null));
        Assert.NotEmpty(CacheKey.Canonicalize(body));
    }

    /// <summary>
    /// A Responses body the parser takes is translated or refused with a 400, never thrown on; a translation is a chat
    /// request naming the target's model, which the chat rules take or refuse with a 400 in turn.
    /// </summary>
    private static void CheckTranslation(byte[] body)
    {
        if (!ResponsesRequestTranslator.TryTranslate(body, "upstream-model", out var chat, out var untranslatable))
        {
            AssertBadRequest(untranslatable!);
            return;
        }

        using (var document = JsonDocument.Parse(chat))
        {
            Assert.Equal("upstream-model", document.RootElement.GetProperty("model").GetString());
        }

        if (!InferenceRequestParser.TryParse(chat, InferenceOperation.ChatCompletions, out _, out var invalid))
        {
            AssertBadRequest(invalid);
        }
    }

    internal static void AssertBadRequest(ApiError error)
    {
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(ApiErrorTypes.InvalidRequest, error.Type);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    /// <summary>A body that names no model gets one inserted in its upstream form, which is still one JSON object.</summary>
    private static void AssertModelInsertedUpstream(byte[] body, InferenceRequest request)
    {
        Assert.Equal(InferenceOperation.Moderations, request.Operation);
        Assert.Equal(0, request.ModelValue.Length);
        Assert.InRange(request.ModelValue.Start, 1, body.Length);
        Assert.Equal((byte)'{', body[request.ModelValue.Start - 1]);
        using var upstream = UpstreamBody.Create(body, request, "upstream-model");
        using var document = JsonDocument.Parse(upstream.Content);
        Assert.Equal("upstream-model", document.RootElement.GetProperty("model").GetString());
    }

    private static void AssertQuotedString(byte[] body, ByteRange range)
    {
        Assert.InRange(range.Start, 0, body.Length - 2);
        Assert.InRange(range.End, range.Start + 2, body.Length);
        Assert.Equal((byte)'"', body[range.Start]);
        Assert.Equal((byte)'"', body[range.End - 1]);
    }
}
