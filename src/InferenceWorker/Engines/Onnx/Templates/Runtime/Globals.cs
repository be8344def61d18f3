using System.Collections.Frozen;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// The functions transformers' environment offers every chat template: Jinja's <c>range</c>, <c>namespace</c> and
/// <c>dict</c>, and transformers' own <c>raise_exception</c> and <c>strftime_now</c>. Jinja's <c>lipsum</c>,
/// <c>cycler</c> and <c>joiner</c> are left out: no chat template uses them, and calling them fails at parse time.
/// </summary>
internal static class Globals
{
    /// <summary>Jinja's sandbox refuses longer ranges (<c>MAX_RANGE</c>), so a template cannot loop for ever.</summary>
    private const int MaxRange = 100_000;

    private static readonly FrozenDictionary<string, object?> s_functions = new Dictionary<string, object?>
    {
        ["range"] = new GlobalFunction("range", (_, arguments) => Range(arguments)),
        ["namespace"] = new GlobalFunction("namespace", (_, arguments) => NewNamespace(arguments)),
        ["dict"] = new GlobalFunction("dict", (_, arguments) => NewDict(arguments)),
        ["raise_exception"] = new GlobalFunction("raise_exception", (_, arguments) => RaiseException(arguments)),
        ["strftime_now"] = new GlobalFunction("strftime_now", StrftimeNow),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEnumerable<string> FunctionNames => s_functions.Keys;

    public static bool TryGet(string name, out object? value) => s_functions.TryGetValue(name, out value);

    private static List<object?> Range(Arguments arguments)
    {
        if (arguments.Keywords.Count > 0 || arguments.Positional.Count is 0 or > 3)
        {
            throw new TemplateError("range expected 1 to 3 positional arguments");
        }

        var values = arguments.Positional.Select(v => v is Undefined u ? throw u.Error() : PyOps.ToLong(v!)).ToArray();
        var (start, stop, step) = values.Length switch
        {
            1 => (0L, values[0], 1L),
            2 => (values[0], values[1], 1L),
            _ => (values[0], values[1], values[2]),
        };
        if (step == 0)
        {
            throw new TemplateError("range() arg 3 must not be zero");
        }

        var count = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        if (count > MaxRange)
        {
            throw new TemplateError($"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).");
        }

        var result = new List<object?>((int)Math.Max(count, 0));
        for (var i = 0L; i < count; i++)
        {
            result.Add(start + (i * step));
        }

        return result;
    }

    private static Namespace NewNamespace(Arguments arguments)
    {
        var ns = new Namespace();
        foreach (var initial in arguments.Positional)
        {
            if (initial is not PyDict dict)
            {
                throw new TemplateError("namespace() takes a mapping as positional argument");
            }

            foreach (var (key, value) in dict)
            {
                ns.Set(PyFormat.Str(key), value);
            }
        }

        foreach (var (key, value) in arguments.Keywords)
        {
            ns.Set(key, value);
        }

        return ns;
    }

    private static PyDict NewDict(Arguments arguments)
    {
        var result = new PyDict();
        if (arguments.Positional.Count > 1)
        {
            throw new TemplateError($"dict expected at most 1 argument, got {arguments.Positional.Count}");
        }

        if (arguments.Positional.Count == 1)
        {
            if (arguments.Positional[0] is PyDict source)
            {
                foreach (var (key, value) in source)
                {
                    result.Put(key, value);
                }
            }
            else
            {
                foreach (var pair in PyOps.Iterate(arguments.Positional[0]))
                {
                    var items = pair as IReadOnlyList<object?> ?? throw new TemplateError("dict() needs a sequence of pairs");
                    if (items.Count != 2)
                    {
                        throw new TemplateError($"dictionary update sequence element has length {items.Count}; 2 is required");
                    }

                    result.Put(items[0], items[1]);
                }
            }
        }

        foreach (var (key, value) in arguments.Keywords)
        {
            result.Put(key, value);
        }

        return result;
    }

    /// <summary>transformers' <c>raise_exception</c>: the template refuses the conversation, in its own words.</summary>
    private static object? RaiseException(Arguments arguments) =>
        throw new ChatTemplateException(PyFormat.Str(arguments.Expect("raise_exception", "message").Get(0, "message")));

    /// <summary>
    /// transformers' <c>strftime_now</c> is <c>datetime.now().strftime(format)</c>: the server's local time, naive
    /// (so <c>%Z</c> and <c>%z</c> are empty). Llama 3.2 writes "Today Date: 26 Jul 2024" with it.
    /// </summary>
    private static string StrftimeNow(RenderContext context, Arguments arguments)
    {
        var format = arguments.Expect("strftime_now", "format").Get(0, "format") as string
            ?? throw new TemplateError("strftime_now() argument must be a format string");
        return Strftime.Format(context.TimeProvider.GetLocalNow().DateTime, format);
    }
}
