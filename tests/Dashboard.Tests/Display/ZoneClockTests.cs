using AiPlatform.Dashboard.Display;
using Bunit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;

namespace AiPlatform.Dashboard.Tests.Display;

/// <summary>
/// <see cref="BrowserClock"/>: times are shown in the browser's zone once it has said which; in UTC before, or when it cannot say.
/// (No "Browser" in these tests' names: the unit run filters out the browser tests by that word.)
/// </summary>
public sealed class ZoneClockTests : IDisposable
{
    private readonly BunitContext _context = new();

    [Fact]
    public async Task LearnZone_PageSaysItsZone_ThatZone()
    {
        _context.JSInterop.Setup<string>("aigDashboard.timeZone").SetResult("Europe/Paris");
        var clock = new BrowserClock(_context.JSInterop.JSRuntime, NullLogger<BrowserClock>.Instance);
        Assert.Equal(TimeZoneInfo.Utc, clock.Zone);

        Assert.True(await clock.LearnZoneAsync());

        Assert.Equal("Europe/Paris", clock.Zone.Id);
    }

    [Fact]
    public async Task LearnZone_AskedTwice_AsksThePageOnce()
    {
        var handler = _context.JSInterop.Setup<string>("aigDashboard.timeZone").SetResult("Europe/Paris");
        var clock = new BrowserClock(_context.JSInterop.JSRuntime, NullLogger<BrowserClock>.Instance);

        await clock.LearnZoneAsync();
        Assert.False(await clock.LearnZoneAsync());

        Assert.Single(handler.Invocations);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData(null)]
    public async Task LearnZone_ZoneUnknownHere_Utc(string? zone)
    {
        _context.JSInterop.Setup<string>("aigDashboard.timeZone").SetResult(zone!);
        var clock = new BrowserClock(_context.JSInterop.JSRuntime, NullLogger<BrowserClock>.Instance);

        Assert.False(await clock.LearnZoneAsync());

        Assert.Equal(TimeZoneInfo.Utc, clock.Zone);
    }

    [Fact]
    public async Task LearnZone_ScriptFails_Utc()
    {
        _context.JSInterop.Setup<string>("aigDashboard.timeZone").SetException(new JSException("aigDashboard is not defined"));
        var clock = new BrowserClock(_context.JSInterop.JSRuntime, NullLogger<BrowserClock>.Instance);

        Assert.False(await clock.LearnZoneAsync());

        Assert.Equal(TimeZoneInfo.Utc, clock.Zone);
    }

    public void Dispose() => _context.Dispose();
}
