using Microsoft.Playwright;

namespace AiPlatform.Testing.Browser;

/// <summary>Checks of a page a person with a screen reader, a keyboard or a phone depends on.</summary>
public static class PageChecks
{
    // A control's accessible name from what a screen reader reads first: aria-label, aria-labelledby, a <label>, its
    // own text, or a title. Hidden controls (MudBlazor keeps some for its popovers) are not counted.
    private const string UnlabelledControlsScript = """
        () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, [role=button], [role=switch], [role=combobox], a[href]')]
            .filter(e => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden')
            .filter(e => {
                const byIds = (e.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean)
                    .map(id => document.getElementById(id)?.textContent || '').join('');
                const labels = e.labels ? [...e.labels].map(l => l.textContent).join('') : '';
                const name = (e.getAttribute('aria-label') || '') + byIds + labels + (e.textContent || '') + (e.getAttribute('title') || '')
                    + (e.getAttribute('placeholder') || '');
                return name.trim() === '';
            })
            .map(e => e.outerHTML.slice(0, 160))
        """;

    /// <summary>The visible controls without an accessible name, as HTML excerpts; empty when every control has one.</summary>
    public static async Task<IReadOnlyList<string>> UnlabelledControlsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>(UnlabelledControlsScript);

    /// <summary>Whether the page is wider than the window (a phone would have to scroll sideways).</summary>
    public static async Task<bool> OverflowsSidewaysAsync(IPage page) =>
        await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");

    /// <summary>
    /// Presses Tab until <paramref name="target"/> has the focus; false when it never does within
    /// <paramref name="maxPresses"/> (it cannot be reached by keyboard).
    /// </summary>
    public static async Task<bool> TabToAsync(IPage page, ILocator target, int maxPresses = 40)
    {
        for (var i = 0; i < maxPresses; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return true;
            }
        }

        return false;
    }
}
