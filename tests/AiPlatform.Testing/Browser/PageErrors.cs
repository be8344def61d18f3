using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace AiPlatform.Testing.Browser;

/// <summary>
/// Collects what a page reports as broken: console errors (a failed script or stylesheet load shows up here as
/// "Failed to load resource") and uncaught exceptions. Playwright raises its events on its connection's thread,
/// hence the concurrent queue.
/// </summary>
public sealed class PageErrors
{
    private readonly ConcurrentQueue<string> _errors = new();

    private PageErrors()
    {
    }

    /// <summary>Starts collecting; call before navigating, or errors of the first load are missed.</summary>
    public static PageErrors Watch(IPage page)
    {
        var errors = new PageErrors();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors._errors.Enqueue($"console error at {message.Location}: {message.Text}");
            }
        };
        page.PageError += (_, error) => errors._errors.Enqueue($"uncaught: {error}");
        return errors;
    }

    public IReadOnlyList<string> ToList() => [.. _errors];
}
