using System.Globalization;
using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// <c>str.format</c> for plain replacement fields: <c>{}</c>, <c>{0}</c>, <c>{name}</c>, optionally <c>!s</c> or
/// <c>!r</c>, and <c>{{</c>/<c>}}</c>. Format specifications and field access (<c>{0:&gt;8}</c>, <c>{a.b}</c>) are
/// refused rather than approximated.
/// </summary>
internal static class PyStringFormat
{
    public static string Format(string format, Arguments arguments)
    {
        var builder = new StringBuilder(format.Length + 16);
        var automatic = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}')
                {
                    builder.Append('}');
                    i++;
                    continue;
                }

                throw new TemplateError("Single '}' encountered in format string");
            }

            if (c != '{')
            {
                builder.Append(c);
                continue;
            }

            if (i + 1 < format.Length && format[i + 1] == '{')
            {
                builder.Append('{');
                i++;
                continue;
            }

            var close = format.IndexOf('}', i + 1);
            if (close < 0)
            {
                throw new TemplateError("Single '{' encountered in format string");
            }

            builder.Append(Field(format[(i + 1)..close], arguments, ref automatic));
            i = close;
        }

        return builder.ToString();
    }

    private static string Field(string field, Arguments arguments, ref int automatic)
    {
        var conversion = 's';
        var bang = field.IndexOf('!', StringComparison.Ordinal);
        if (bang >= 0)
        {
            if (bang != field.Length - 2 || field[^1] is not ('s' or 'r'))
            {
                throw new TemplateError($"format field '{{{field}}}' is not supported by this chat template engine");
            }

            conversion = field[^1];
            field = field[..bang];
        }

        if (field.Contains(':', StringComparison.Ordinal) || field.Contains('.', StringComparison.Ordinal) || field.Contains('[', StringComparison.Ordinal))
        {
            throw new TemplateError($"format field '{{{field}}}' is not supported by this chat template engine");
        }

        object? value;
        if (field.Length == 0)
        {
            value = Positional(arguments, automatic++);
        }
        else if (int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            value = Positional(arguments, index);
        }
        else
        {
            value = arguments.Keywords.FirstOrDefault(k => k.Key == field) is { Key: not null } keyword
                ? keyword.Value
                : throw new TemplateError($"KeyError: {PyFormat.Repr(field)}");
        }

        return conversion == 'r' ? PyFormat.Repr(value) : PyFormat.Str(value);
    }

    private static object? Positional(Arguments arguments, int index) =>
        index < arguments.Positional.Count
            ? arguments.Positional[index]
            : throw new TemplateError($"Replacement index {index} out of range for positional args tuple");
}
