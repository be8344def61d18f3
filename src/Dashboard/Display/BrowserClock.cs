using Microsoft.JSInterop;

namespace AiPlatform.Dashboard.Display;

/// <summary>
/// The browser's time zone, asked once per circuit: the server renders times, and a person expects them in their own
/// zone, not the server's. UTC until the browser has answered (prerendering has no browser to ask).
/// </summary>
public sealed class BrowserClock(IJSRuntime js, ILogger<BrowserClock> logger)
{
    private TimeZoneInfo? _zone;

    public TimeZoneInfo Zone => _zone ?? TimeZoneInfo.Utc;

    /// <summary>Asks the browser; call from <c>OnAfterRenderAsync</c>. Whether the zone changed from what was shown.</summary>
    public async Task<bool> LearnZoneAsync()
    {
        if (_zone is not null)
        {
            return false;
        }

        try
        {
            var id = await js.InvokeAsync<string>("aigDashboard.timeZone");
            _zone = id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
        }
        catch (JSException ex)
        {
            DisplayLog.TimeZoneUnknown(logger, ex.Message);
            _zone = TimeZoneInfo.Utc;
        }

        return _zone != TimeZoneInfo.Utc;
    }
}
