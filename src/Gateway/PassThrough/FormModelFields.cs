namespace AiPlatform.Gateway.PassThrough;

/// <summary>
/// Counts the parts of a multipart form named <c>model</c> in its bytes as they stream by, chunk boundaries included:
/// the Gateway routes and authorises a form by its first <c>model</c> field, and a provider that reads the last one
/// must never see a second (a key allowed one model would be served another on the shared provider key). Looks for
/// the <c>name</c> parameter of a part's headers (<c>name="model"</c>, <c>name=model</c>), not <c>filename="model"</c>.
/// Not thread-safe: one per request body.
/// </summary>
internal sealed class FormModelFields
{
    private static readonly byte[][] s_patterns = ["name=\"model\""u8.ToArray(), "name=model\r"u8.ToArray(), "name=model;"u8.ToArray()];
    private static readonly int s_longest = s_patterns.Max(p => p.Length);

    /// <summary>The end of the data before, and room for as much of the next chunk: where a field split over two chunks is found.</summary>
    private readonly byte[] _seam = new byte[2 * s_longest];
    private int _tail;

    public int Count { get; private set; }

    public void Scan(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        // 1. Fields that start in the tail of the data before and end in this chunk. The tail is one byte longer than a
        //    field can reach back, so the byte before each candidate is known (a 'file' before 'name=' does not count).
        var head = Math.Min(chunk.Length, s_longest - 1);
        chunk[..head].CopyTo(_seam.AsSpan(_tail));
        var seam = _seam.AsSpan(0, _tail + head);
        Count += CountStarting(seam, Math.Min(1, _tail), _tail, seam.Length, minEnd: _tail + 1);

        // 2. Fields inside this chunk.
        Count += CountStarting(chunk, 0, chunk.Length, chunk.Length, minEnd: 0, previous: _tail > 0 ? _seam[_tail - 1] : (byte)' ');

        // 3. The tail this chunk leaves for the next.
        var keep = Math.Min(s_longest, seam.Length + chunk.Length - head);
        if (chunk.Length >= keep)
        {
            chunk[^keep..].CopyTo(_seam);
        }
        else
        {
            seam[^keep..].CopyTo(_seam);
        }

        _tail = keep;
    }

    /// <summary>
    /// Fields whose name starts in [<paramref name="from"/>, <paramref name="until"/>) and ends after <paramref name="minEnd"/>
    /// and within <paramref name="end"/>; <paramref name="previous"/> is the byte before the data.
    /// </summary>
    private static int CountStarting(ReadOnlySpan<byte> data, int from, int until, int end, int minEnd, byte previous = (byte)' ')
    {
        var count = 0;
        for (var at = from; at < until; at++)
        {
            var next = data[at..until].IndexOfAny((byte)'n', (byte)'N');
            if (next < 0)
            {
                break;
            }

            at += next;
            var before = at > 0 ? data[at - 1] : previous;
            if (before is not ((byte)' ' or (byte)';' or (byte)'\t'))
            {
                continue;
            }

            foreach (var pattern in s_patterns)
            {
                if (at + pattern.Length <= end && at + pattern.Length >= minEnd && EqualsIgnoringLetterCase(data.Slice(at, pattern.Length), pattern))
                {
                    count++;
                    break;
                }
            }
        }

        return count;
    }

    private static bool EqualsIgnoringLetterCase(ReadOnlySpan<byte> data, ReadOnlySpan<byte> pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (Lower(data[i]) != pattern[i])
            {
                return false;
            }
        }

        return true;
    }

    private static byte Lower(byte value) => value is >= (byte)'A' and <= (byte)'Z' ? (byte)(value | 0x20) : value;
}
