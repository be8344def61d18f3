using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Analytics;
using AiPlatform.Dashboard.Logs;
using AiPlatform.ServiceDefaults.Admin;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace AiPlatform.Dashboard.Components.Pages;

public sealed partial class Logs
{
    public const int PageSize = 50;

    private static readonly string[] StatusChoices = ["2xx", "4xx", "5xx", "400", "401", "403", "404", "413", "429", "500", "502", "503", "504"];

    private readonly LogFilters _filters = new();
    private readonly LogPager _pager = new();
    private UsageQuery? _query;
    private RangeChoice? _shownRange;
    private IReadOnlyList<UsageRecord> _records = [];
    private IReadOnlyList<(string Id, string Name)> _keys = [];
    private string? _problem;
    private bool _detailOpen;
    private UsageRecord? _detail;
    private string? _detailError;

    public Logs() => Live = false;

    /// <summary>A link may open the log filtered: <c>/logs?key={id}&amp;model={name}&amp;trace_id={id}</c>.</summary>
    [SupplyParameterFromQuery(Name = "key")]
    public string? KeyParameter { get; set; }

    [SupplyParameterFromQuery(Name = "model")]
    public string? ModelParameter { get; set; }

    [SupplyParameterFromQuery(Name = "trace_id")]
    public string? TraceIdParameter { get; set; }

    protected override void OnInitialized()
    {
        _filters.KeyId = KeyParameter;
        _filters.Model = ModelParameter;
        _filters.TraceId = TraceIdParameter;
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_filters.Range.Resolve(Time.GetUtcNow(), Clock.Zone, out _problem) is not { } range)
        {
            return;
        }

        // The key filter names keys only for a credential that may list them; others filter by a key's id.
        if (_keys.Count == 0 && Grants(AdminScopes.KeysRead))
        {
            var keys = await Api.ListKeysAsync(includeRevoked: true, cancellationToken);
            _keys = [.. keys.OrderBy(key => key.Name, StringComparer.OrdinalIgnoreCase).Select(key => (key.Id.ToString(), key.Name))];
        }

        var query = _filters.ToQuery(range);
        // A preset range moves with the clock: paging goes on over the range first shown until a filter or the chosen
        // range changes, since the cursors belong to that query.
        if (_query is not null && _shownRange == _filters.Range && query with { From = _query.From, To = _query.To } == _query)
        {
            query = _query;
        }
        else
        {
            _pager.Reset();
        }

        var page = await Api.ListRecordsAsync(query, PageSize, _pager.Current, cancellationToken);
        _query = query;
        _shownRange = _filters.Range;
        _records = page.Data;
        _pager.Shown(page.NextCursor);
    }

    private Task EnterAppliesAsync(KeyboardEventArgs args) => args.Key == "Enter" ? ReloadAsync() : Task.CompletedTask;

    private Task RangeChangedAsync(RangeChoice range)
    {
        _filters.Range = range;
        return ReloadAsync();
    }

    private Task KeyChangedAsync(string? keyId)
    {
        _filters.KeyId = keyId;
        return ReloadAsync();
    }

    private Task StatusChangedAsync(string? status)
    {
        _filters.Status = status;
        return ReloadAsync();
    }

    private Task CachedChangedAsync(bool? cached)
    {
        _filters.Cached = cached;
        return ReloadAsync();
    }

    private Task StreamChangedAsync(bool? stream)
    {
        _filters.Stream = stream;
        return ReloadAsync();
    }

    private Task NextAsync()
    {
        _pager.GoNext();
        return ReloadAsync();
    }

    private Task PreviousAsync()
    {
        _pager.GoPrevious();
        return ReloadAsync();
    }

    private Task OpenAsync(TableRowClickEventArgs<UsageRecord> args) => args.Item is { } record ? OpenAsync(record) : Task.CompletedTask;

    /// <summary>Opens the detail panel with the record as listed, then with its payload once UsageApi has answered.</summary>
    private async Task OpenAsync(UsageRecord record)
    {
        _detail = record;
        _detailError = null;
        _detailOpen = true;
        try
        {
            _detail = await Api.GetRecordAsync(record.RequestId, CancellationToken.None);
        }
        catch (AdminApiException ex)
        {
            _detailError = ex.Message;
        }
    }
}
