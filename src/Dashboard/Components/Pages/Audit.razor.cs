using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Audit;
using AiPlatform.Dashboard.Logs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace AiPlatform.Dashboard.Components.Pages;

public sealed partial class Audit
{
    public const int PageSize = 50;

    private readonly AuditFilters _filters = new();
    private readonly LogPager _pager = new();
    private string _shownFilters = "";
    private IReadOnlyList<AuditEntry> _entries = [];
    private bool _detailOpen;
    private AuditEntry? _detail;

    public Audit() => Live = false;

    /// <summary>A link may open the log filtered: <c>/audit?target_type=key&amp;target_id={id}</c>, and so on.</summary>
    [SupplyParameterFromQuery(Name = "action")]
    public string? ActionParameter { get; set; }

    [SupplyParameterFromQuery(Name = "target_type")]
    public string? TargetTypeParameter { get; set; }

    [SupplyParameterFromQuery(Name = "target_id")]
    public string? TargetIdParameter { get; set; }

    [SupplyParameterFromQuery(Name = "actor_id")]
    public string? ActorIdParameter { get; set; }

    protected override void OnInitialized()
    {
        _filters.Action = ActionParameter;
        _filters.TargetType = TargetTypeParameter;
        _filters.TargetId = TargetIdParameter;
        _filters.ActorId = ActorIdParameter;
    }

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        // The cursors belong to the query that gave them: other filters start again from the newest entries.
        var filters = _filters.ToQueryString();
        if (filters != _shownFilters)
        {
            _pager.Reset();
        }

        var page = await Api.ListAuditAsync(_filters, PageSize, _pager.Current, cancellationToken);
        _shownFilters = filters;
        _entries = page.Data;
        _pager.Shown(page.HasMore ? page.NextCursor : null);
    }

    /// <summary>Creations green, removals red, changes plain: the kind of change at a glance.</summary>
    private static Color ActionColor(string action) => action switch
    {
        _ when action.EndsWith(".created", StringComparison.Ordinal) || action == "price.set" => Color.Success,
        _ when action.EndsWith(".revoked", StringComparison.Ordinal) || action.EndsWith(".deleted", StringComparison.Ordinal) => Color.Error,
        _ => Color.Default,
    };

    private Task EnterAppliesAsync(KeyboardEventArgs args) => args.Key == "Enter" ? ApplyFiltersAsync() : Task.CompletedTask;

    /// <summary>
    /// Loads again only when a filter changed: leaving a field (to click an entry) must not replace the rows under the
    /// pointer, which loses the click.
    /// </summary>
    private Task ApplyFiltersAsync() => _filters.ToQueryString() != _shownFilters ? ReloadAsync() : Task.CompletedTask;

    private Task ActionChangedAsync(string? action)
    {
        _filters.Action = action;
        return ReloadAsync();
    }

    private Task TargetTypeChangedAsync(string? type)
    {
        _filters.TargetType = type;
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

    private void OpenRow(TableRowClickEventArgs<AuditEntry> args)
    {
        if (args.Item is { } entry)
        {
            Open(entry);
        }
    }

    /// <summary>The entry as listed has everything the detail shows: no call of its own.</summary>
    private void Open(AuditEntry entry)
    {
        _detail = entry;
        _detailOpen = true;
    }
}
