using System.Text;

namespace AiPlatform.Fuzz.Tests;

/// <summary>
/// Bytes under test, shown in a failure as text with every byte that is not printable ASCII as <c>\xNN</c>, so a
/// counterexample can be pasted into a regression test as a <c>u8</c> literal or a byte array.
/// </summary>
public sealed record FuzzInput(byte[] Bytes)
{
    public static FuzzInput Of(string text) => new(Encoding.UTF8.GetBytes(text));

    public override string ToString()
    {
        var text = new StringBuilder(Bytes.Length + 16);
        text.Append(Bytes.Length).Append(" bytes: ");
        foreach (var b in Bytes)
        {
            if (b is >= 0x20 and < 0x7f && b != (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
