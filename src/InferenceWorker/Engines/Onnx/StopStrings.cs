using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx;

/// <summary>
/// Ends an answer at the first of the request's <c>stop</c> strings, which is not part of the answer (OpenAI's rule).
/// Text that could still become the start of a stop string is held back until the next piece settles it, so a streamed
/// answer never shows half a stop string. Not thread-safe: one per choice.
/// </summary>
internal sealed class StopStrings(IReadOnlyList<string> stops)
{
    private readonly StringBuilder _held = new();

    public bool Stopped { get; private set; }

    /// <summary>Adds a decoded piece; returns the text that can be shown now (before the stop string, once one is found).</summary>
    public string Push(string piece)
    {
        if (stops.Count == 0)
        {
            return piece;
        }

        _held.Append(piece);
        var text = _held.ToString();
        var stopAt = -1;
        foreach (var stop in stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (stopAt < 0 || at < stopAt))
            {
                stopAt = at;
            }
        }

        if (stopAt >= 0)
        {
            Stopped = true;
            _held.Clear();
            return text[..stopAt];
        }

        var hold = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > hold; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    hold = length;
                    break;
                }
            }
        }

        _held.Clear().Append(text, text.Length - hold, hold);
        return text[..^hold];
    }

    /// <summary>What is still held back when the answer ends for another reason.</summary>
    public string Flush()
    {
        var rest = _held.ToString();
        _held.Clear();
        return rest;
    }
}
