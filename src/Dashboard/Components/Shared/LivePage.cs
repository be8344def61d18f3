using AiPlatform.Dashboard.Display;
using AiPlatform.Dashboard.SignIn;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace AiPlatform.Dashboard.Components.Shared;

/// <summary>
/// A page that loads once it is interactive and then, while <see cref="Live"/> is on, again every
/// <see cref="DashboardOptions.RefreshInterval"/> without reloading. Prerendering loads nothing: the page would load
/// twice, and only the interactive render knows the browser's time zone.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private CancellationTokenSource? _load;
    private SignedInAdmin? _admin;

    [Inject]
    public required BrowserClock Clock { get; init; }

    [Inject]
    public required IOptions<DashboardOptions> Options { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [CascadingParameter]
    public Task<AuthenticationState>? Authentication { get; set; }

    /// <summary>Whether the page refreshes itself; a person turns it off to read a moment that keeps still.</summary>
    protected bool Live { get; set; } = true;

    /// <summary>Whether the first load has ended (successfully or not).</summary>
    protected bool Loaded { get; private set; }

    /// <summary>The last load's failure, shown instead of stale figures; null after a good load.</summary>
    protected string? Error { get; private set; }

    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether the signed-in credential opens what needs <paramref name="scope"/>: a page shows a control, or asks for
    /// figures, only when UsageApi would not refuse them. False until the sign-in is known.
    /// </summary>
    protected bool Grants(string scope) => _admin?.Grants(scope) == true;

    protected override async Task OnInitializedAsync()
    {
        if (Authentication is not null)
        {
            _admin = SignedInAdmin.Of((await Authentication).User);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        await Clock.LearnZoneAsync();
        await ReloadAsync();
        _ = RefreshWhileLiveAsync(_disposed.Token);
    }

    /// <summary>Loads now, cancelling a load still under way (the person changed a filter).</summary>
    protected async Task ReloadAsync()
    {
        if (_load is { } previous)
        {
            await previous.CancelAsync();
        }

        using var load = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        _load = load;
        try
        {
            await LoadAsync(load.Token);
            Error = null;
        }
        catch (Admin.AdminApiException ex)
        {
            Error = ex.Message;
        }
        catch (OperationCanceledException) when (load.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            if (_load == load)
            {
                _load = null;
            }
        }

        Loaded = true;
        StateHasChanged();
    }

    private async Task RefreshWhileLiveAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.Value.RefreshInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (Live && _load is null)
                {
                    await InvokeAsync(ReloadAsync);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
