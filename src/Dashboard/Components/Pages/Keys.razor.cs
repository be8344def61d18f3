using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Analytics;
using AiPlatform.Dashboard.Components.Keys;
using AiPlatform.Dashboard.Components.Shared;
using AiPlatform.Dashboard.Display;
using AiPlatform.Dashboard.Keys;
using AiPlatform.ServiceDefaults.Admin;
using MudBlazor;

namespace AiPlatform.Dashboard.Components.Pages;

public sealed partial class Keys
{
    /// <summary>How far back "last used" looks: the ledger is read over this range, not over all time.</summary>
    public const int LastUsedDays = 90;

    private bool _showRevoked;
    private IReadOnlyList<KeyRow> _rows = [];

    public Keys() => Live = false;

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var keys = await Api.ListKeysAsync(_showRevoked, cancellationToken);
        // When a key was last used is an analytics figure: without analytics:read the column says it is not known.
        var usage = CanSeeUsage
            ? Api.SummarizeAsync(new UsageQuery(now.AddDays(-LastUsedDays), now), "key", cancellationToken)
            : Task.FromResult<IReadOnlyList<UsageSummaryRow>>([]);
        // Each key's spend is its own call; a key without a budget still shows what it spent.
        var spends = await Task.WhenAll(keys.Select(key => Api.GetSpendAsync(key.Id, cancellationToken)));
        var lastUsed = (await usage).Where(row => row.Group is not null).ToDictionary(row => row.Group!, row => row.LastRequestAt);
        _rows = [.. keys.Zip(spends, (key, spend) => new KeyRow(key, KeyStatus.Of(key, now), spend,
            lastUsed.TryGetValue(key.Id.ToString(), out var last) ? last : null))];
    }

    /// <summary>Whether the create, edit, revoke (and payload logging) controls show: UsageApi would refuse them otherwise.</summary>
    private bool CanWrite => Grants(AdminScopes.KeysWrite);

    private bool CanSeeUsage => Grants(AdminScopes.AnalyticsRead);

    private string LastUsedText(KeyRow row) => row.LastUsed is { } lastUsed ? Format.Time(lastUsed, Clock.Zone)
        : CanSeeUsage ? $"not in {LastUsedDays} days"
        : "—";

    private static string SpendText(KeyRow row) =>
        row.Key.BudgetUsd is { } budget
            ? $"{Format.Usd(row.Spend.SpentUsd)} / {Format.Usd(budget)}{(row.Key.BudgetPeriod is { } period ? " " + period : "")}"
            : Format.Usd(row.Spend.SpentUsd);

    private Task ShowRevokedChangedAsync(bool showRevoked)
    {
        _showRevoked = showRevoked;
        return ReloadAsync();
    }

    private async Task CreateAsync()
    {
        ApiKey? created = null;
        var dialog = await Dialogs.ShowAsync<KeyEditor>("New key", new DialogParameters<KeyEditor>
        {
            { editor => editor.Save, async settings => await AdminCall.TryAsync(async () => created = await Api.CreateKeyAsync(settings, CancellationToken.None)) },
        });
        if ((await dialog.Result)?.Canceled != false || created?.Key is not { } plainKey)
        {
            return;
        }

        await Dialogs.ShowAsync<ShownOnce>("Your new key", new DialogParameters<ShownOnce>
        {
            { shown => shown.Noun, "key" },
            { shown => shown.Label, "API key" },
            { shown => shown.Name, created.Name },
            { shown => shown.Secret, plainKey },
        }, ShownOnce.Options);
        await ReloadAsync();
    }

    private async Task EditAsync(ApiKey key)
    {
        var before = KeySettings.Of(key);
        var dialog = await Dialogs.ShowAsync<KeyEditor>($"Edit {key.Name}", new DialogParameters<KeyEditor>
        {
            { editor => editor.Title, $"Edit {key.Name}" },
            { editor => editor.SaveText, "Save" },
            { editor => editor.Settings, before },
            { editor => editor.Save, async after => await AdminCall.TryAsync(() => Api.UpdateKeyAsync(key.Id, KeyChanges.ForUpdate(before, after), CancellationToken.None)) },
        });
        if ((await dialog.Result)?.Canceled == false)
        {
            Snackbar.Add($"Saved {key.Name}.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task RevokeAsync(ApiKey key)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Revoke {key.Name}?",
            $"Every Gateway refuses {key.KeyPrefix}… within a second, and this cannot be undone. Applications that use it stop working.",
            yesText: "Revoke", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        if (await AdminCall.TryAsync(() => Api.RevokeKeyAsync(key.Id, CancellationToken.None)) is { } problem)
        {
            Snackbar.Add(problem, Severity.Error);
            return;
        }

        Snackbar.Add($"Revoked {key.Name}.", Severity.Success);
        await ReloadAsync();
    }
}

/// <summary>One line of the keys table.</summary>
public sealed record KeyRow(ApiKey Key, KeyState State, KeySpend Spend, DateTimeOffset? LastUsed);
