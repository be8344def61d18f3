using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit;

namespace AiPlatform.Testing.Browser;

/// <summary>
/// One headless Debian chromium (<c>/usr/bin/chromium</c>) per test collection, driven by Playwright. Playwright's
/// own browser download cannot reach its servers from our build machines, so the browser is the distribution's,
/// installed by <c>scripts/install-prerequisites.sh --tests</c>; its node driver ships inside the NuGet package and
/// is copied to the build output, so neither build nor test goes to the network.
/// </summary>
/// <remarks>
/// Thread-safe: tests of the collection may call <see cref="RunAsync(Func{IPage, Task}, string)"/> concurrently; each
/// call gets its own browser context (cookies, storage), so tests never see each other's sign-ins.
/// </remarks>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Where failed browser tests leave their screenshots: <c>TestResults/screenshots</c> in the build output.</summary>
    public static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    // Playwright waits up to 30 s per action by default; a page of ours that needs more than this is broken, and a
    // hang should fail one test quickly rather than stall the run.
    private const float ActionTimeoutMs = 10_000;

    // PACKAGES.md's flags: --no-sandbox because the tests run as root, where chromium refuses its sandbox; the others
    // stop background calls to Google's servers. Chromium still looked up update.googleapis.com, accounts.google.com
    // and content-autofill.googleapis.com (seen with strace), so no name resolves but localhost and 127.0.0.1 (the rule
    // covers IP literals too): the tests address their servers by IP and must never depend on the Internet.
    private static readonly string[] s_chromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started yet.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's chromium at {ChromiumPath}, which is missing. " +
                "Install it with `apt-get install chromium` (scripts/test.sh does this through scripts/install-prerequisites.sh --tests).");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = s_chromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        // Stops the node driver process.
        _playwright?.Dispose();
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a new page in a fresh browser context. When the body throws, saves a full-page
    /// screenshot to <see cref="ScreenshotDirectory"/>/<paramref name="testName"/>.png (and the page's HTML beside it) and rethrows: xunit 2 has no
    /// hook that runs on a failed test while its page still exists.
    /// </summary>
    public Task RunAsync(Func<IPage, Task> body, [CallerMemberName] string testName = "") =>
        RunAsync(body, testName, ScreenshotDirectory);

    /// <summary>As <see cref="RunAsync(Func{IPage, Task}, string)"/>, saving into <paramref name="screenshotDirectory"/>.</summary>
    public async Task RunAsync(Func<IPage, Task> body, string testName, string screenshotDirectory)
    {
        await using var context = await Browser.NewContextAsync();
        context.SetDefaultTimeout(ActionTimeoutMs);
        context.SetDefaultNavigationTimeout(ActionTimeoutMs);
        var page = await context.NewPageAsync();
        try
        {
            await body(page);
        }
        catch
        {
            await TryScreenshotAsync(page, Path.Combine(screenshotDirectory, FileName(testName) + ".png"));
            throw;
        }
    }

    private static async Task TryScreenshotAsync(IPage page, string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await page.ScreenshotAsync(new() { Path = path, FullPage = true, Timeout = 5_000 });
            // The page's HTML beside it: what a screenshot cannot show (hidden elements, attributes, labels).
            await File.WriteAllTextAsync(Path.ChangeExtension(path, ".html"), await page.ContentAsync());
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or IOException)
        {
            // A crashed page cannot be photographed; the test's own exception is what matters, so it must not be
            // replaced by this one.
        }
    }

    // Test names are method names, but theory display names and hand-written ones may hold '/' or worse.
    private static string FileName(string testName)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return string.Concat(testName.Select(c => Array.IndexOf(invalid, c) >= 0 ? '_' : c));
    }
}
