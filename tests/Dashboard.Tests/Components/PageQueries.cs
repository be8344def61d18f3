using AiPlatform.Testing;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace AiPlatform.Dashboard.Tests.Components;

/// <summary>How the page tests find and fill what a person sees: table cells, buttons, the open dialog and its fields.</summary>
internal static class PageQueries
{
    /// <summary>The text of each cell but the actions, the texts of a cell's parts (a name, its chip) separated by a space.</summary>
    public static string[] Cells(IElement row) =>
        [.. row.QuerySelectorAll("td").SkipLast(1).Select(td => string.Join(' ', td.ChildNodes.Select(node => node.TextContent.Trim()).Where(text => text.Length > 0)))];

    /// <summary>The dialog on top (a confirmation may open over an editor).</summary>
    public static IElement Dialog(IRenderedComponent<IComponent> page) => page.FindAll(".mud-dialog")[^1];

    public static IElement Button(IRenderedComponent<IComponent> page, string text) =>
        page.FindAll("button").Single(button => button.TextContent.Trim() == text);

    public static IElement DialogButton(IRenderedComponent<IComponent> page, string text) =>
        Dialog(page).QuerySelectorAll("button").Single(button => button.TextContent.Trim() == text);

    /// <summary>The input of the dialog's field labelled <paramref name="label"/> (by the label's <c>for</c>, or inside it).</summary>
    public static IElement Field(IRenderedComponent<IComponent> page, string label)
    {
        var labelled = Dialog(page).QuerySelectorAll("label").Single(element => element.TextContent.Trim() == label);
        return labelled.GetAttribute("for") is { } id ? page.Find($"#{id}") : labelled.QuerySelector("input")!;
    }

    /// <summary>Types into a field of the dialog, as a person does: the value changes when the field is left.</summary>
    public static async Task TypeAsync(IRenderedComponent<IComponent> page, string label, string text)
    {
        await Field(page, label).ChangeAsync(new ChangeEventArgs { Value = text }).WaitAsync(TestTimeouts.Default);
        await Field(page, label).BlurAsync(new Microsoft.AspNetCore.Components.Web.FocusEventArgs()).WaitAsync(TestTimeouts.Default);
    }
}
