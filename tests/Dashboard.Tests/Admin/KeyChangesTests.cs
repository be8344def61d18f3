using AiPlatform.Dashboard.Admin;

namespace AiPlatform.Dashboard.Tests.Admin;

/// <summary>The bodies the Keys page sends: a whole key to create, and a JSON merge patch of only what changed.</summary>
public sealed class KeyChangesTests
{
    private static readonly KeySettings s_key = new()
    {
        Name = "ci",
        Rpm = 60,
        Tpm = 100_000,
        BudgetUsd = 25.5m,
        BudgetPeriod = "monthly",
        Models = ["sim", "gpt-4o-mini"],
        ExpiresAt = new DateTimeOffset(2026, 4, 1, 22, 0, 0, TimeSpan.Zero),
        LogPayloads = false,
    };

    [Fact]
    public void ForCreate_NameOnly_TheNameAlone() =>
        Assert.Equal("""{"name":"ci"}""", KeyChanges.ForCreate(new KeySettings { Name = "  ci " }).ToJsonString());

    [Fact]
    public void ForCreate_EverySetting_AllInUsageApisNames()
    {
        var body = KeyChanges.ForCreate(s_key with
        {
            // An expiry in the browser's zone is sent in UTC.
            ExpiresAt = new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.FromHours(2)),
            LogPayloads = true,
        });

        Assert.Equal(
            """{"name":"ci","rpm":60,"tpm":100000,"budget_usd":25.5,"budget_period":"monthly","models":["sim","gpt-4o-mini"],"expires_at":"2026-04-01T22:00:00Z","log_payloads":true}""",
            body.ToJsonString());
    }

    [Fact]
    public void ForCreate_BudgetWithoutPeriod_NoPeriodSent() =>
        Assert.Equal("""{"name":"ci","budget_usd":10}""", KeyChanges.ForCreate(new KeySettings { Name = "ci", BudgetUsd = 10m }).ToJsonString());

    [Fact]
    public void ForUpdate_NothingChanged_EmptyPatch() =>
        Assert.Equal("{}", KeyChanges.ForUpdate(s_key, s_key with { Models = ["sim", "gpt-4o-mini"] }).ToJsonString());

    [Fact]
    public void ForUpdate_OneLimitChanged_OnlyThatLimit() =>
        Assert.Equal("""{"rpm":120}""", KeyChanges.ForUpdate(s_key, s_key with { Rpm = 120 }).ToJsonString());

    [Fact]
    public void ForUpdate_LimitsCleared_SentAsNull() =>
        Assert.Equal("""{"rpm":null,"tpm":null}""", KeyChanges.ForUpdate(s_key, s_key with { Rpm = null, Tpm = null }).ToJsonString());

    [Fact]
    public void ForUpdate_BudgetCleared_BudgetAndPeriodNull() =>
        Assert.Equal("""{"budget_usd":null,"budget_period":null}""", KeyChanges.ForUpdate(s_key, s_key with { BudgetUsd = null, BudgetPeriod = null }).ToJsonString());

    [Fact]
    public void ForUpdate_NameWithSpaces_TrimmedAndUnchangedNotSent()
    {
        Assert.Equal("{}", KeyChanges.ForUpdate(s_key, s_key with { Name = "  ci  " }).ToJsonString());
        Assert.Equal("""{"name":"deploy"}""", KeyChanges.ForUpdate(s_key, s_key with { Name = " deploy " }).ToJsonString());
    }

    /// <summary>UsageApi refuses an expiry in the past on creation; an unchanged past expiry is not sent back.</summary>
    [Fact]
    public void ForUpdate_PastExpiryUnchanged_NotSent()
    {
        var expired = s_key with { ExpiresAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) };

        Assert.Equal("""{"name":"old ci"}""", KeyChanges.ForUpdate(expired, expired with { Name = "old ci" }).ToJsonString());
    }

    [Fact]
    public void ForUpdate_ExpiryChangedOrCleared_InUtcOrNull()
    {
        Assert.Equal("""{"expires_at":"2026-05-01T22:00:00Z"}""",
            KeyChanges.ForUpdate(s_key, s_key with { ExpiresAt = new DateTimeOffset(2026, 5, 2, 0, 0, 0, TimeSpan.FromHours(2)) }).ToJsonString());
        Assert.Equal("""{"expires_at":null}""", KeyChanges.ForUpdate(s_key, s_key with { ExpiresAt = null }).ToJsonString());
    }

    /// <summary>The same instant written in another offset is no change.</summary>
    [Fact]
    public void ForUpdate_SameExpiryInAnotherOffset_NotSent() =>
        Assert.Equal("{}", KeyChanges.ForUpdate(s_key, s_key with { ExpiresAt = new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.FromHours(2)) }).ToJsonString());

    [Fact]
    public void ForUpdate_ModelsChanged_TheWholeArray()
    {
        Assert.Equal("""{"models":["sim"]}""", KeyChanges.ForUpdate(s_key, s_key with { Models = ["sim"] }).ToJsonString());
        Assert.Equal("""{"models":["gpt-4o-mini","sim"]}""", KeyChanges.ForUpdate(s_key, s_key with { Models = ["gpt-4o-mini", "sim"] }).ToJsonString());
    }

    /// <summary>An empty list allows every model again: it is sent as an empty array, not left out.</summary>
    [Fact]
    public void ForUpdate_ModelsCleared_EmptyArray() =>
        Assert.Equal("""{"models":[]}""", KeyChanges.ForUpdate(s_key, s_key with { Models = [] }).ToJsonString());

    [Fact]
    public void ForUpdate_PayloadLoggingSwitched_SentEitherWay()
    {
        var logging = s_key with { LogPayloads = true };

        Assert.Equal("""{"log_payloads":true}""", KeyChanges.ForUpdate(s_key, logging).ToJsonString());
        Assert.Equal("""{"log_payloads":false}""", KeyChanges.ForUpdate(logging, s_key).ToJsonString());
    }

    [Fact]
    public void ForUpdate_SeveralChanges_ExactlyThose() =>
        Assert.Equal("""{"name":"deploy","tpm":null,"budget_usd":30}""",
            KeyChanges.ForUpdate(s_key, s_key with { Name = "deploy", Tpm = null, BudgetUsd = 30m }).ToJsonString());
}
