using System.Text.Json;
using AiPlatform.UsageApi.Budgets;
using AiPlatform.UsageApi.Keys;

namespace AiPlatform.UsageApi.Tests.Keys;

public sealed class KeyChangesTests
{
    private static readonly DateTimeOffset s_now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ApiKeySettings s_current = new(
        "current", 10, 1000, 5.5m, BudgetPeriod.Monthly, ["model-a"], s_now.AddDays(30), JsonElement.Parse("""{"team": "a", "tags": {"x": 1, "y": 2}}"""), "shared", true);

    private static KeyChanges Patch(string json)
    {
        Assert.True(KeyRequestParser.TryParsePatch(JsonElement.Parse(json), out var changes, out var error), error?.Message);
        return changes;
    }

    [Fact]
    public void ApplyTo_EmptyPatch_KeepsEverything()
    {
        var result = Patch("{}").ApplyTo(s_current);

        Assert.Same(s_current.Models, result.Models);
        Assert.Equal(s_current with { Models = result.Models }, result);
    }

    [Fact]
    public void ApplyTo_Values_ReplaceOnlyTheFieldsSent()
    {
        var result = Patch("""{"rpm": 20, "models": ["model-b", "model-c"], "expires_at": "2031-06-01T12:00:00+02:00"}""").ApplyTo(s_current);

        Assert.Equal(20, result.Rpm);
        Assert.Equal(["model-b", "model-c"], result.Models);
        Assert.Equal(new DateTimeOffset(2031, 6, 1, 10, 0, 0, TimeSpan.Zero), result.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, result.ExpiresAt!.Value.Offset);
        Assert.Equal("current", result.Name);
        Assert.Equal(1000, result.Tpm);
        Assert.Equal(5.5m, result.BudgetUsd);
        Assert.Equal(BudgetPeriod.Monthly, result.BudgetPeriod);
        Assert.Equal("shared", result.CacheNamespace);
        Assert.True(result.LogPayloads);
    }

    [Fact]
    public void ApplyTo_Nulls_ClearTheFields()
    {
        var result = Patch("""
            {"rpm": null, "tpm": null, "budget_usd": null, "budget_period": null, "models": null, "expires_at": null, "metadata": null, "cache_namespace": null,
             "log_payloads": null}
            """).ApplyTo(s_current);

        Assert.Equal(new ApiKeySettings("current", null, null, null, null, result.Models, null, result.Metadata, null, false), result);
        Assert.Empty(result.Models);
        Assert.Equal("{}", result.Metadata.GetRawText());
    }

    [Fact]
    public void ApplyTo_MetadataObject_MergedMemberByMember()
    {
        var result = Patch("""{"metadata": {"owner": "b", "team": null, "tags": {"x": 3}}}""").ApplyTo(s_current);

        Assert.True(JsonElement.DeepEquals(JsonElement.Parse("""{"tags": {"y": 2, "x": 3}, "owner": "b"}"""), result.Metadata), result.Metadata.GetRawText());
    }

    [Fact]
    public void ApplyTo_ExpiresAtWithoutOffset_TakenAsUtc()
    {
        var result = Patch("""{"expires_at": "2031-06-01T12:00:00"}""").ApplyTo(s_current);

        Assert.Equal(new DateTimeOffset(2031, 6, 1, 12, 0, 0, TimeSpan.Zero), result.ExpiresAt);
    }

    // RFC 7396, appendix A.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void JsonMergePatch_Rfc7396Examples_ExpectedResult(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(JsonElement.Parse(target), JsonElement.Parse(patch));

        Assert.True(JsonElement.DeepEquals(JsonElement.Parse(expected), result), result.GetRawText());
    }

    [Fact]
    public void JsonMergePatch_Apply_LeavesTargetUnchanged()
    {
        var target = JsonElement.Parse("""{"a": {"b": 1}}""");

        JsonMergePatch.Apply(target, JsonElement.Parse("""{"a": {"b": null}}"""));

        Assert.Equal("""{"a": {"b": 1}}""", target.GetRawText());
    }

    [Theory]
    [InlineData("""{"name": null}""", "name")]
    [InlineData("""{"name": "   "}""", "name")]
    [InlineData("""{"rpm": 0}""", "rpm")]
    [InlineData("""{"tpm": 2147483648}""", "tpm")]
    [InlineData("""{"rpm": 1.5}""", "rpm")]
    [InlineData("""{"rpm": "10"}""", "rpm")]
    [InlineData("""{"budget_usd": -0.01}""", "budget_usd")]
    [InlineData("""{"budget_period": "weekly"}""", "budget_period")]
    [InlineData("""{"budget_period": 30}""", "budget_period")]
    [InlineData("""{"models": [""]}""", "models")]
    [InlineData("""{"models": [1]}""", "models")]
    [InlineData("""{"metadata": [1]}""", "metadata")]
    [InlineData("""{"cache_namespace": "with space"}""", "cache_namespace")]
    [InlineData("""{"cache_namespace": "{tag}"}""", "cache_namespace")]
    [InlineData("""{"expires_at": "tomorrow"}""", "expires_at")]
    [InlineData("""{"log_payloads": "true"}""", "log_payloads")]
    [InlineData("""{"log_payloads": 1}""", "log_payloads")]
    [InlineData("""{"rpm": 5, "limit": 1, "owner": "x"}""", "limit")]
    // Found by tests/Fuzz.Tests: a lone surrogate threw (500), U+0000 failed the insert (500).
    [InlineData("""{"name": "a\udbff"}""", "name")]
    [InlineData("""{"name": "a\u0000"}""", "name")]
    [InlineData("""{"models": ["\ude00"]}""", "models")]
    [InlineData("""{"cache_namespace": "\udbff"}""", "cache_namespace")]
    [InlineData("""{"budget_period": "\ud800"}""", "budget_period")]
    [InlineData("""{"expires_at": "\udbff"}""", "expires_at")]
    [InlineData("""{"metadata": {"team": "\u0000"}}""", "metadata")]
    public void TryParsePatch_InvalidField_ErrorNamesIt(string json, string param)
    {
        Assert.False(KeyRequestParser.TryParsePatch(JsonElement.Parse(json), out _, out var error));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void TryParsePatch_UnknownFields_MessageNamesAll()
    {
        Assert.False(KeyRequestParser.TryParsePatch(JsonElement.Parse("""{"limit": 1, "name": "x", "owner": "y"}"""), out _, out var error));

        Assert.Equal("Unrecognized request arguments supplied: limit, owner", error.Message);
        Assert.Equal(KeyErrorCodes.UnknownParameter, error.Code);
    }

    [Fact]
    public void TryParsePatch_ExpiresAtInPast_Accepted()
    {
        Assert.True(KeyRequestParser.TryParsePatch(JsonElement.Parse("""{"expires_at": "2000-01-01T00:00:00Z"}"""), out _, out _));
    }

    [Fact]
    public void TryParseCreate_ExpiresAtInPast_Rejected()
    {
        Assert.False(KeyRequestParser.TryParseCreate(JsonElement.Parse("""{"name": "x", "expires_at": "2029-12-31T23:59:59Z"}"""), s_now, out _, out var error));

        Assert.Equal("expires_at", error.Param);
    }

    [Fact]
    public void TryParseCreate_NoName_MissingRequiredParameter()
    {
        Assert.False(KeyRequestParser.TryParseCreate(JsonElement.Parse("""{"rpm": 1}"""), s_now, out _, out var error));

        Assert.Equal("name", error.Param);
        Assert.Equal(KeyErrorCodes.MissingRequiredParameter, error.Code);
    }

    [Theory]
    [InlineData("""{"name": "x"}""", false)]
    [InlineData("""{"name": "x", "log_payloads": true}""", true)]
    [InlineData("""{"name": "x", "log_payloads": null}""", false)]
    public void TryParseCreate_LogPayloads_OffUnlessTrue(string json, bool expected)
    {
        Assert.True(KeyRequestParser.TryParseCreate(JsonElement.Parse(json), s_now, out var changes, out _));

        Assert.Equal(expected, changes.ApplyTo(ApiKeySettings.Defaults("x")).LogPayloads);
    }

    [Fact]
    public void TryParseCreate_DuplicateModels_KeptOnce()
    {
        Assert.True(KeyRequestParser.TryParseCreate(JsonElement.Parse("""{"name": "x", "models": ["a", "b", "a"]}"""), s_now, out var changes, out _));

        Assert.Equal(["a", "b"], changes.Models.Value);
    }
}
