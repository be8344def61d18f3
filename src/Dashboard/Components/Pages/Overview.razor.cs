using Microsoft.AspNetCore.Components;
using AiPlatform.Dashboard.Analytics;
using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.Dashboard.Components.Pages;

public sealed partial class Overview
{
    private RangeChoice _range = RangeChoice.Default;
    private string? _model;
    private string? _keyId;
    private string? _problem;
    private UsageQuery? _query;
    private OverviewReport? _report;
    private OverviewCharts? _charts;
    private IReadOnlyList<string> _models = [];
    private IReadOnlyList<(string Id, string Name)> _keys = [];

    /// <summary>A link may open the Overview filtered: <c>/?key={id}&amp;model={name}</c>.</summary>
    [SupplyParameterFromQuery(Name = "key")]
    public string? KeyParameter { get; set; }

    [SupplyParameterFromQuery(Name = "model")]
    public string? ModelParameter { get; set; }

    protected override void OnInitialized()
    {
        _keyId = KeyParameter;
        _model = ModelParameter;
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_range.Resolve(Time.GetUtcNow(), Clock.Zone, out _problem) is not { } range)
        {
            return;
        }

        var query = range.ToQuery() with { Model = _model, KeyId = _keyId };
        var report = await OverviewReport.LoadAsync(Api, query, range.Bucket, Grants(AdminScopes.KeysRead), cancellationToken);
        _query = query;
        _report = report;
        _charts = OverviewCharts.Of(report.Series, range.Bucket, Clock.Zone);
        _keys = [.. report.KeyNames.OrderBy(pair => pair.Value, StringComparer.OrdinalIgnoreCase).Select(pair => (pair.Key, pair.Value))];
        // Models to filter by: those with traffic in the range and the one chosen, which a filter may have hidden.
        _models = [.. report.TopModels.Select(row => row.Group).OfType<string>().Append(_model).OfType<string>().Distinct().Order(StringComparer.Ordinal)];
    }

    private void LiveChanged(bool live) => Live = live;

    private Task RangeChangedAsync(RangeChoice range)
    {
        _range = range;
        return ReloadAsync();
    }

    private Task ModelChangedAsync(string? model)
    {
        _model = model;
        return ReloadAsync();
    }

    private Task KeyChangedAsync(string? keyId)
    {
        _keyId = keyId;
        return ReloadAsync();
    }
}
