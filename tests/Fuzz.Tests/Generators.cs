using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace AiPlatform.Fuzz.Tests;

/// <summary>
/// Generators of hostile input: arbitrary bytes, JSON built from a grammar that knows the real field names (with wrong
/// types, deep nesting, huge numbers, escapes of NUL and of lone surrogates, invalid UTF-8 spliced in), and mutations
/// of valid bodies.
/// </summary>
public static class Generators
{
    /// <summary>Pieces of string content as written between quotes: plain, escaped, and (when hostile) not text.</summary>
    private static readonly string[] s_textPieces =
        ["a", "hello", " ", "model", "é", "日本", "😀", "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\u00e9", "\\u0041", "\\ud83d\\ude00", "\\u2028", "%", "{", "data: "];

    private static readonly string[] s_hostilePieces =
        ["\\u0000", "\\ud800", "\\udc00", "\\ud83d", "\\ude00x", "\\udbff\\udbff", "\u0001", "\\x", "\\u12", "\"", "\\", "\0", "\\uD800\\u0041"];

    private static readonly string[] s_numbers =
        ["0", "-0", "1", "-1", "1.5", "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "2147483647", "2147483648",
         "-2147483649", "9223372036854775807", "9223372036854775808", "0.0000001", "1E+2", "3.0", "1e10", "-5", "100"];

    private static readonly string[] s_badNumbers = ["01", "1.", "-", ".5", "NaN", "Infinity", "+1", "0x10", "1e", "--1"];

    /// <summary>Fields the request parsers know (the Gateway's, UsageApi's events and admin bodies), plus a few others.</summary>
    public static readonly string[] FieldNames =
        ["model", "messages", "stream", "stream_options", "include_usage", "max_tokens", "max_completion_tokens", "n", "temperature",
         "tools", "tool_calls", "input", "prompt", "role", "content", "type", "text", "user", "store", "metadata", "usage", "choices",
         "events", "request_id", "timestamp", "status_code", "key_id", "name", "scopes", "expires_at", "models", "rpm", "tpm",
         "budget_usd", "budget_period", "cache_namespace", "log_payloads", "payload", "request", "response", "truncated", "trace_id",
         "query", "documents", "top_n", "return_documents", "image_url", "url", "x"];

    public static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    public static Gen<byte> Byte => Gen.Choose(0, 255).Select(b => (byte)b);

    /// <summary>String content (between the quotes); hostile content may be invalid JSON or not text.</summary>
    public static Gen<string> Text(bool hostile)
    {
        var piece = hostile
            ? Gen.Frequency((6, Gen.Elements(s_textPieces)), (2, Gen.Elements(s_hostilePieces)))
            : Gen.Elements(s_textPieces);
        return Gen.Sized(size => UpTo(piece, Math.Min(size, 40)).Select(string.Concat))
            .Or(Gen.Elements("", "gpt-4o", "x", new string('a', 300), new string('é', 600)));
    }

    public static Gen<Json> Number(bool hostile) => hostile
        ? Gen.Frequency((6, Gen.Elements(s_numbers)), (1, Gen.Elements(s_badNumbers)), (3, Gen.Choose(-1000, 100_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .Select(n => (Json)new JsonLiteral(n))
        : Gen.Choose(0, 100_000).Select(i => (Json)new JsonLiteral(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static Gen<Json> Scalar(bool hostile) => Gen.Frequency(
        (4, Text(hostile).Select(t => (Json)new JsonString(t))),
        (3, Number(hostile)),
        (2, Gen.Elements("true", "false", "null").Select(l => (Json)new JsonLiteral(l))));

    /// <summary>Any value, nested up to the generator's size, with the real field names as keys most of the time.</summary>
    public static Gen<Json> Value(bool hostile) => Gen.Sized(size => Value(hostile, Math.Min(size, 30)));

    private static Gen<Json> Value(bool hostile, int size)
    {
        if (size <= 1)
        {
            return Scalar(hostile);
        }

        var child = Gen.Sized(s => Value(hostile, s)).Resize(size / 3);
        return Gen.Frequency(
            (5, Scalar(hostile)),
            (2, UpTo(child, 4).Select(items => (Json)new JsonArray([.. items]))),
            (3, Object(Key(hostile), child)),
            (hostile ? 1 : 0, Deep()));
    }

    /// <summary>A member name: hostile ones are any text; the others only known names, so that no two unescape alike.</summary>
    public static Gen<string> Key(bool hostile) => hostile ? Gen.Frequency((4, Gen.Elements(FieldNames)), (1, Text(hostile))) : Gen.Elements(FieldNames);

    /// <summary>An object of up to five members; keys are unique unless <paramref name="key"/> is hostile enough to repeat.</summary>
    public static Gen<Json> Object(Gen<string> key, Gen<Json> value) =>
        UpTo(Gen.Zip(key, value), 5)
            .Select(members => (Json)new JsonObject([.. members.DistinctBy(m => m.Item1).Select(m => KeyValuePair.Create(m.Item1, m.Item2))]));

    /// <summary>Arrays or objects nested around the readers' limit of 64.</summary>
    public static Gen<Json> Deep() =>
        Gen.Zip(Gen.Choose(60, 70), Gen.Elements(true, false)).Select(t =>
        {
            Json inner = new JsonLiteral("1");
            for (var i = 0; i < t.Item1; i++)
            {
                inner = t.Item2 ? new JsonArray([inner]) : new JsonObject([KeyValuePair.Create("a", inner)]);
            }

            return inner;
        });

    /// <summary>A body with the named fields, each most often of a plausible type, otherwise anything.</summary>
    public static Gen<Json> Body(bool hostile, IReadOnlyList<(string Name, Gen<Json> Plausible)> fields) =>
        Gen.Sized(size =>
        {
            var member = Gen.Elements(fields.ToArray()).SelectMany(field =>
                Gen.Frequency((4, field.Plausible), (1, Value(hostile))).Select(value => KeyValuePair.Create(field.Name, value)));
            var extra = Gen.Zip(Key(hostile), Value(hostile)).Select(t => KeyValuePair.Create(t.Item1, t.Item2));
            return UpTo(Gen.Frequency((5, member), (1, extra)), Math.Clamp(size / 5, 1, 12))
                .Select(members => (Json)new JsonObject(hostile ? [.. members] : [.. members.DistinctBy(m => m.Key)]));
        });

    /// <summary>Text to bytes, sometimes with invalid UTF-8 spliced in, and sometimes framed by white space or garbage.</summary>
    public static Gen<FuzzInput> Encode(Gen<string> text) =>
        Gen.Zip(text, Gen.Zip(Gen.Choose(0, 9), Gen.Choose(0, int.MaxValue))).Select(p =>
        {
            var t = (p.Item1, p.Item2.Item1, p.Item2.Item2);
            var bytes = Encoding.UTF8.GetBytes(t.Item1);
            byte[][] invalid = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x80], [0xf4, 0x90, 0x80, 0x80], [0xef, 0xbb, 0xbf]];
            return t.Item2 switch
            {
                0 => new FuzzInput(Splice(bytes, t.Item3 % (bytes.Length + 1), invalid[t.Item3 % invalid.Length])),
                1 => new FuzzInput([.. bytes, .. "x"u8]),
                2 => new FuzzInput([.. " \r\n\t"u8, .. bytes, .. " "u8]),
                3 => new FuzzInput([.. bytes, .. bytes]),
                _ => new FuzzInput(bytes),
            };
        });

    /// <summary>Arbitrary bytes, half the time drawn from JSON's punctuation so that the readers get past the first token.</summary>
    public static Gen<FuzzInput> Bytes() =>
        Gen.Frequency(
            (1, Gen.ArrayOf(Byte)),
            (2, Gen.ArrayOf(Gen.Frequency((1, Byte), (4, Gen.Elements("{}[]\":,0123456789.-+eE truefalsnul\\u\n".Select(c => (byte)c).ToArray())))))
        ).Select(bytes => new FuzzInput(bytes));

    /// <summary>Byte flips, deletions, duplications, insertions and truncation of <paramref name="valid"/>.</summary>
    public static Gen<FuzzInput> Mutate(Gen<FuzzInput> valid) =>
        Gen.Zip(valid, UpTo(Gen.Zip(Gen.Choose(0, 4), Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(1, 16))), 6)).Select(t =>
        {
            var bytes = t.Item1.Bytes;
            foreach (var (kind, (at, length)) in t.Item2)
            {
                var position = bytes.Length == 0 ? 0 : at % bytes.Length;
                var count = Math.Min(length, bytes.Length - position);
                bytes = kind switch
                {
                    0 when bytes.Length > 0 => Flip(bytes, position, (byte)(1 << (at % 8))),
                    1 => [.. bytes[..position], .. bytes[(position + count)..]],
                    2 => [.. bytes[..(position + count)], .. bytes[position..]],
                    3 => Splice(bytes, position, [(byte)(at >> 8)]),
                    _ => bytes[..position],
                };
            }

            return new FuzzInput(bytes);
        });

    /// <summary>A list of zero to <paramref name="max"/> items.</summary>
    public static Gen<List<T>> UpTo<T>(Gen<T> item, int max) =>
        Gen.Choose(0, max).SelectMany(count => Gen.ListOf(item, count)).Select(items => items.ToList());

    private static byte[] Flip(byte[] bytes, int at, byte mask)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= mask;
        return copy;
    }

    private static byte[] Splice(byte[] bytes, int at, byte[] inserted) => [.. bytes[..at], .. inserted, .. bytes[at..]];
}
