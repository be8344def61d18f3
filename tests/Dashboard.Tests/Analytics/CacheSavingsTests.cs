using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Analytics;

namespace AiPlatform.Dashboard.Tests.Analytics;

/// <summary>What cache hits saved at today's prices; hits of models without a price are counted, not guessed at.</summary>
public sealed class CacheSavingsTests
{
    private static readonly ModelPrice[] s_prices =
    [
        new("gpt-4o-mini", 0.15m, 0.6m),
        new("sim", 1m, 2m),
    ];

    [Fact]
    public void Of_PricedModels_TokensAtTheirPrices()
    {
        var savings = CacheSavings.Of(
            [
                new UsageSummaryRow { Group = "gpt-4o-mini", Requests = 40, PromptTokens = 1_000_000, CompletionTokens = 500_000 },
                new UsageSummaryRow { Group = "sim", Requests = 3, PromptTokens = 1_234, CompletionTokens = 567 },
            ],
            s_prices);

        // 0.15 + 0.30 for gpt-4o-mini; (1,234 × 1 + 567 × 2) / 1,000,000 = 0.002368 for sim.
        Assert.Equal(new CacheSavings(0.452368m, 0), savings);
    }

    [Fact]
    public void Of_UnpricedModels_TheirHitsCountedNotPriced()
    {
        var savings = CacheSavings.Of(
            [
                new UsageSummaryRow { Group = "sim", Requests = 3, PromptTokens = 1_000, CompletionTokens = 0 },
                new UsageSummaryRow { Group = "llama3:8b", Requests = 7, PromptTokens = 9_999_999, CompletionTokens = 9_999_999 },
                new UsageSummaryRow { Group = null, Requests = 2, PromptTokens = 10, CompletionTokens = 10 },
            ],
            s_prices);

        Assert.Equal(new CacheSavings(0.001m, 9), savings);
    }

    [Fact]
    public void Of_NoHits_NothingSaved() =>
        Assert.Equal(new CacheSavings(0m, 0), CacheSavings.Of([], s_prices));

    [Fact]
    public void Of_ModelNamesDifferingInCase_NotTheSameModel()
    {
        var savings = CacheSavings.Of([new UsageSummaryRow { Group = "SIM", Requests = 1, PromptTokens = 1_000_000 }], s_prices);

        Assert.Equal(new CacheSavings(0m, 1), savings);
    }
}
