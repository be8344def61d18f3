using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>Python's <c>seq[start:stop:step]</c> for lists, tuples and strings (by code point), with Python's clamping of out-of-range bounds.</summary>
internal static class Slicing
{
    public static object? Slice(object? owner, object? start, object? stop, object? step)
    {
        if (owner is Undefined undefined)
        {
            throw undefined.Error();
        }

        if (start is Undefined || stop is Undefined || step is Undefined)
        {
            throw new TemplateError("slice indices must be integers or None or have an __index__ method");
        }

        // Jinja turns the TypeError of a bad bound, or of slicing a non-sequence, into an undefined value.
        if (!IsBound(start) || !IsBound(stop) || !IsBound(step))
        {
            return Undefined.WithMessage("slice indices must be integers or None");
        }

        var stepValue = step is null ? 1 : PyOps.ToLong(step);
        if (stepValue == 0)
        {
            throw new TemplateError("slice step cannot be zero");
        }

        switch (owner)
        {
            case string s:
                var characters = PyOps.Characters(s);
                var builder = new StringBuilder(s.Length);
                foreach (var index in Indices(characters.Count, start, stop, stepValue))
                {
                    builder.Append((string)characters[index]!);
                }

                return builder.ToString();
            case PyTuple tuple:
                return new PyTuple([.. Indices(tuple.Count, start, stop, stepValue).Select(i => tuple[i])]);
            case List<object?> list:
                return Indices(list.Count, start, stop, stepValue).Select(i => list[i]).ToList();
            default:
                return Undefined.WithMessage($"'{PyFormat.TypeName(owner)}' object is not subscriptable");
        }
    }

    private static bool IsBound(object? value) => value is null or long or bool;

    private static IEnumerable<int> Indices(int length, object? start, object? stop, long step)
    {
        long first, end;
        if (step > 0)
        {
            first = Clamp(start, 0, length, 0, length);
            end = Clamp(stop, length, length, 0, length);
            for (var i = first; i < end; i += step)
            {
                yield return (int)i;
            }
        }
        else
        {
            first = Clamp(start, length - 1, length, -1, length - 1);
            end = Clamp(stop, -1, length, -1, length - 1);
            for (var i = first; i > end; i += step)
            {
                yield return (int)i;
            }
        }
    }

    /// <summary>A bound as <c>slice.indices</c> computes it: default when None, counted from the end when negative, clamped.</summary>
    private static long Clamp(object? bound, long fallback, int length, long lowest, long highest)
    {
        if (bound is null)
        {
            return fallback;
        }

        var value = PyOps.ToLong(bound);
        if (value < 0)
        {
            value += length;
        }

        return Math.Clamp(value, lowest, highest);
    }
}
