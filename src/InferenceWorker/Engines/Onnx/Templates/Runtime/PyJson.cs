using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// transformers replaces Jinja's <c>tojson</c> (which escapes HTML characters) with
/// <c>json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)</c>
/// (<c>src/transformers/utils/chat_template_utils.py</c>). This is that <c>json.dumps</c>: keys in insertion order,
/// <c>", "</c> and <c>": "</c> separators (<c>","</c> between items when indenting), non-ASCII kept, floats as
/// Python's repr. Tool schemas reach the model through it, so the spacing must be Python's to the character.
/// Also converts the request's JSON (tools) into template values, as Python's <c>json.loads</c> would.
/// </summary>
internal static class PyJson
{
    public static string Dumps(object? value, string? indent, string itemSeparator, string keySeparator, bool sortKeys, bool ensureAscii)
    {
        var builder = new StringBuilder();
        new Writer(builder, indent, itemSeparator, keySeparator, sortKeys, ensureAscii).Write(value, 0);
        return builder.ToString();
    }

    /// <summary>
    /// Python's <c>json.loads</c> result for a JSON value: objects keep their key order, integers without a fraction or
    /// exponent are ints, other numbers floats (so <c>1.0</c> prints back as <c>1.0</c>).
    /// </summary>
    public static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var dict = new PyDict();
                foreach (var property in element.EnumerateObject())
                {
                    dict.Put(property.Name, FromJson(property.Value));
                }

                return dict;
            case JsonValueKind.Array:
                var list = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(FromJson(item));
                }

                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                return raw.AsSpan().IndexOfAny(".eE") < 0 && element.TryGetInt64(out var integer) ? (object)integer : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private sealed class Writer(StringBuilder builder, string? indent, string itemSeparator, string keySeparator, bool sortKeys, bool ensureAscii)
    {
        public void Write(object? value, int depth)
        {
            switch (value)
            {
                case null:
                    builder.Append("null");
                    break;
                case bool b:
                    builder.Append(b ? "true" : "false");
                    break;
                case long l:
                    builder.Append(l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    builder.Append(Float(d));
                    break;
                case string s:
                    WriteString(s);
                    break;
                case IReadOnlyList<object?> list:
                    WriteList(list, depth);
                    break;
                case PyDict dict:
                    WriteDict(dict, depth);
                    break;
                default:
                    throw new TemplateError($"Object of type {PyFormat.TypeName(value)} is not JSON serializable");
            }
        }

        private static string Float(double d) =>
            double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PyFormat.Float(d);

        private void WriteList(IReadOnlyList<object?> list, int depth)
        {
            if (list.Count == 0)
            {
                builder.Append("[]");
                return;
            }

            builder.Append('[');
            for (var i = 0; i < list.Count; i++)
            {
                builder.Append(i > 0 ? itemSeparator : "");
                NewLine(depth + 1);
                Write(list[i], depth + 1);
            }

            NewLine(depth);
            builder.Append(']');
        }

        private void WriteDict(PyDict dict, int depth)
        {
            if (dict.Count == 0)
            {
                builder.Append("{}");
                return;
            }

            IEnumerable<KeyValuePair<string, object?>> pairs = dict.Select(p => KeyValuePair.Create(KeyString(p.Key), p.Value));
            if (sortKeys)
            {
                // Python sorts the original keys; mixed key types cannot be sorted there either.
                if (dict.Keys.Any(k => k is not string))
                {
                    throw new TemplateError("sort_keys needs keys of one comparable type");
                }

                pairs = pairs.OrderBy(p => p.Key, StringComparer.Ordinal);
            }

            builder.Append('{');
            var first = true;
            foreach (var (key, item) in pairs)
            {
                builder.Append(first ? "" : itemSeparator);
                first = false;
                NewLine(depth + 1);
                WriteString(key);
                builder.Append(keySeparator);
                Write(item, depth + 1);
            }

            NewLine(depth);
            builder.Append('}');
        }

        /// <summary>json.dumps turns str, int, float, bool and None keys into strings and refuses others.</summary>
        private static string KeyString(object key) => key switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => Float(d),
            _ => throw new TemplateError($"keys must be str, int, float, bool or None, not {PyFormat.TypeName(key)}"),
        };

        private void NewLine(int depth)
        {
            if (indent is null)
            {
                return;
            }

            builder.Append('\n');
            for (var i = 0; i < depth; i++)
            {
                builder.Append(indent);
            }
        }

        /// <summary>Python's JSON string escaping: quote, backslash, \b \f \n \r \t, other controls as lowercase \u00XX.</summary>
        private void WriteString(string s)
        {
            builder.Append('"');
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"':
                        builder.Append("\\\"");
                        break;
                    case '\\':
                        builder.Append("\\\\");
                        break;
                    case '\n':
                        builder.Append("\\n");
                        break;
                    case '\r':
                        builder.Append("\\r");
                        break;
                    case '\t':
                        builder.Append("\\t");
                        break;
                    case '\b':
                        builder.Append("\\b");
                        break;
                    case '\f':
                        builder.Append("\\f");
                        break;
                    default:
                        if (c < 0x20 || (ensureAscii && c > 0x7e))
                        {
                            // UTF-16 units are exactly what ensure_ascii writes, surrogate pairs included.
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            builder.Append('"');
        }
    }
}
