namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>The evaluated arguments of a call, filter or test: positional ones, then keyword ones, as Python passes them.</summary>
internal sealed class Arguments(IReadOnlyList<object?> positional, IReadOnlyList<KeyValuePair<string, object?>> keywords)
{
    public static readonly Arguments Empty = new([], []);

    public IReadOnlyList<object?> Positional => positional;

    public IReadOnlyList<KeyValuePair<string, object?>> Keywords => keywords;

    /// <summary>The parameter at <paramref name="position"/> or named <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public object? Get(int position, string name, object? fallback = null)
    {
        if (position < positional.Count)
        {
            return positional[position];
        }

        foreach (var (key, value) in keywords)
        {
            if (key == name)
            {
                return value;
            }
        }

        return fallback;
    }

    public bool Has(int position, string name)
    {
        if (position < positional.Count)
        {
            return true;
        }

        foreach (var (key, _) in keywords)
        {
            if (key == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Checks the call against a Python signature whose parameters are <paramref name="names"/>, in order: no more
    /// positional arguments than parameters, no unknown or repeated keyword.
    /// </summary>
    public Arguments Expect(string callee, params ReadOnlySpan<string> names)
    {
        if (positional.Count > names.Length)
        {
            throw new TemplateError($"{callee}() takes at most {names.Length} argument(s) ({positional.Count} given)");
        }

        foreach (var (key, _) in keywords)
        {
            var index = names.IndexOf(key);
            if (index < 0)
            {
                throw new TemplateError($"{callee}() got an unexpected keyword argument '{key}'");
            }

            if (index < positional.Count)
            {
                throw new TemplateError($"{callee}() got multiple values for argument '{key}'");
            }
        }

        return this;
    }

    /// <summary>The arguments after the first <paramref name="count"/> positional ones (what a filter passes on to a test).</summary>
    public Arguments Skip(int count) => new([.. positional.Skip(count)], keywords);
}
