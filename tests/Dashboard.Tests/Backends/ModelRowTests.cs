using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Backends;

namespace AiPlatform.Dashboard.Tests.Backends;

/// <summary>The Models page lists every model that is served, priced or used, once, with what is known of it.</summary>
public sealed class ModelRowTests
{
    [Fact]
    public void Merge_ServedPricedAndUsed_OneRowEachInNameOrder()
    {
        var sim = new ServedModel { Model = "sim", Targets = [new BackendTarget { Address = "http://127.0.0.1:8082", State = "up" }] };
        var mini = new ServedModel { Model = "gpt-4o-mini" };
        var miniPrice = new ModelPrice("gpt-4o-mini", 0.15m, 0.6m);
        var oldPrice = new ModelPrice("old-model", 1m, 2m);
        var simUsage = new UsageSummaryRow { Group = "sim", Requests = 42 };
        var unknownUsage = new UsageSummaryRow { Group = "unknown-x", Requests = 5 };

        var rows = ModelRow.Merge([sim, mini], [miniPrice, oldPrice], [simUsage, unknownUsage, new UsageSummaryRow { Group = null, Requests = 3 }]);

        Assert.Equal(
            [
                new ModelRow("gpt-4o-mini", mini, miniPrice, null),
                new ModelRow("old-model", null, oldPrice, null),
                new ModelRow("sim", sim, null, simUsage),
                new ModelRow("unknown-x", null, null, unknownUsage),
            ],
            rows);
    }

    [Fact]
    public void Merge_NamesDifferingInCase_DistinctModelsInOrdinalOrder()
    {
        var rows = ModelRow.Merge([new ServedModel { Model = "sim" }], [new ModelPrice("Sim", 1m, 1m)], []);

        Assert.Equal(["Sim", "sim"], rows.Select(row => row.Model));
    }

    [Fact]
    public void Merge_Nothing_NoRows() =>
        Assert.Empty(ModelRow.Merge([], [], []));
}
