using AiPlatform.Dashboard.Admin;
using AiPlatform.Dashboard.Components.AdminTokens;
using AiPlatform.Dashboard.Components.Shared;
using AiPlatform.Dashboard.Keys;
using MudBlazor;

namespace AiPlatform.Dashboard.Components.Pages;

/// <summary>
/// The admin tokens: listed with their scopes and state, created (the token shown once) and revoked on confirmation.
/// The page needs the <c>admin</c> scope, which every call here needs too.
/// </summary>
public sealed partial class Tokens
{
    private bool _showRevoked;
    private IReadOnlyList<TokenRow> _rows = [];

    // The list changes through this page's own buttons, each of which reloads it; a new last use can wait for the next visit.
    public Tokens() => Live = false;

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var tokens = await Api.ListAdminTokensAsync(_showRevoked, cancellationToken);
        _rows = [.. tokens.Select(token => new TokenRow(token, KeyStatus.Of(token, now)))];
    }

    private Task ShowRevokedChangedAsync(bool showRevoked)
    {
        _showRevoked = showRevoked;
        return ReloadAsync();
    }

    private async Task CreateAsync()
    {
        AdminToken? created = null;
        var dialog = await Dialogs.ShowAsync<AdminTokenEditor>("New admin token", new DialogParameters<AdminTokenEditor>
        {
            { editor => editor.Create, async token => await AdminCall.TryAsync(async () => created = await Api.CreateAdminTokenAsync(token, CancellationToken.None)) },
        });
        if ((await dialog.Result)?.Canceled != false || created?.Token is not { } plainToken)
        {
            return;
        }

        await Dialogs.ShowAsync<ShownOnce>("Your new admin token", new DialogParameters<ShownOnce>
        {
            { shown => shown.Noun, "admin token" },
            { shown => shown.Label, "Admin token" },
            { shown => shown.Name, created.Name },
            { shown => shown.Secret, plainToken },
        }, ShownOnce.Options);
        await ReloadAsync();
    }

    private async Task RevokeAsync(AdminToken token)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Revoke {token.Name}?",
            $"UsageApi refuses {token.TokenPrefix}… from its next request on, and this cannot be undone. Whoever signs in or calls with it loses access.",
            yesText: "Revoke", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        if (await AdminCall.TryAsync(() => Api.RevokeAdminTokenAsync(token.Id, CancellationToken.None)) is { } problem)
        {
            Snackbar.Add(problem, Severity.Error);
            return;
        }

        Snackbar.Add($"Revoked {token.Name}.", Severity.Success);
        await ReloadAsync();
    }
}

/// <summary>One line of the tokens table.</summary>
public sealed record TokenRow(AdminToken Token, KeyState State);
