namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

/// <summary>
/// The template source as Jinja's lexer sees it: every line ending turned into \n and one trailing newline dropped
/// (<c>keep_trailing_newline=False</c>), with offsets mapped to lines and columns for error messages.
/// </summary>
internal sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string source)
    {
        var text = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        Text = text.EndsWith('\n') ? text[..^1] : text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < Text.Length; i++)
        {
            if (Text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    public string Text { get; }

    public SourcePosition PositionOf(int offset)
    {
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new SourcePosition(line + 1, offset - _lineStarts[line] + 1);
    }
}
