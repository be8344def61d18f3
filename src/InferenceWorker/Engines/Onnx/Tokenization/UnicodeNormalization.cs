using System.Globalization;
using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Tokenization;

/// <summary>
/// Canonical Unicode normalization, NFD and NFC (UAX #15), in managed code with tables of its own.
/// </summary>
/// <remarks>
/// The platform builds with InvariantGlobalization, where .NET's <see cref="string.Normalize()"/> returns its input
/// unchanged (and <see cref="string.IsNormalized()"/> answers true): BERT's accent stripping (NFD) and Qwen2's NFC
/// normalizer would silently do nothing. Hugging Face normalizes with unicode-normalization-alignments, an older
/// Unicode version than these Unicode 14.0 tables; they differ only on the few characters given a canonical
/// decomposition since. Thread-safe.
/// </remarks>
internal static partial class UnicodeNormalization
{
    private const int HangulBase = 0xAC00;
    private const int HangulCount = 11172;
    private const int LeadingBase = 0x1100;
    private const int VowelBase = 0x1161;
    private const int TrailingBase = 0x11A7;
    private const int VowelCount = 21;
    private const int TrailingCount = 28;

    private static readonly Dictionary<int, int[]> s_decompositions = [];
    private static readonly Dictionary<long, int> s_compositions = [];
    private static readonly Dictionary<int, byte> s_combiningClasses = [];

    // Code points that can change under NFC, or change what is around them: the quick check's "not yes".
    private static readonly HashSet<int> s_nfcUnstable = [];

    static UnicodeNormalization()
    {
        foreach (var entry in CombiningClasses.Split(' '))
        {
            var (range, value) = (entry[..entry.IndexOf(':')], byte.Parse(entry[(entry.IndexOf(':') + 1)..], CultureInfo.InvariantCulture));
            var dash = range.IndexOf('-');
            var (first, last) = dash < 0 ? (Hex(range), Hex(range)) : (Hex(range[..dash]), Hex(range[(dash + 1)..]));
            for (var cp = first; cp <= last; cp++)
            {
                s_combiningClasses[cp] = value;
                s_nfcUnstable.Add(cp);
            }
        }

        foreach (var entry in Decompositions.Split(' '))
        {
            var excluded = entry[0] == '!';
            var colon = entry.IndexOf(':');
            var cp = Hex(entry[(excluded ? 1 : 0)..colon]);
            var parts = entry[(colon + 1)..].Split(',').Select(Hex).ToArray();
            s_decompositions[cp] = parts;
            if (parts.Length == 2 && !excluded)
            {
                s_compositions[Pair(parts[0], parts[1])] = cp;
                s_nfcUnstable.Add(parts[1]);
            }
            else
            {
                s_nfcUnstable.Add(cp);
            }
        }
    }

    /// <summary>Canonical decomposition: every character fully decomposed, combining marks in canonical order.</summary>
    public static string Nfd(string text) =>
        text.AsSpan().ContainsAnyExceptInRange('\0', '\u00BF') ? ToString(Decompose(text)) : text;

    /// <summary>Canonical decomposition followed by canonical composition.</summary>
    public static string Nfc(string text) => IsNfcQuickYes(text) ? text : ToString(Compose(Decompose(text)));

    private static bool IsNfcQuickYes(string text)
    {
        if (!text.AsSpan().ContainsAnyExceptInRange('\0', '\u02FF'))
        {
            return true;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (s_nfcUnstable.Contains(rune.Value) || rune.Value is >= VowelBase and < VowelBase + VowelCount
                or > TrailingBase and < TrailingBase + TrailingCount)
            {
                return false;
            }
        }

        return true;
    }

    private static List<int> Decompose(string text)
    {
        var codePoints = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            DecomposeInto(rune.Value, codePoints);
        }

        // Canonical ordering: a stable sort of each run of non-starters by combining class.
        for (var i = 1; i < codePoints.Count; i++)
        {
            var combiningClass = CombiningClass(codePoints[i]);
            for (var j = i; combiningClass != 0 && j > 0 && CombiningClass(codePoints[j - 1]) > combiningClass; j--)
            {
                (codePoints[j - 1], codePoints[j]) = (codePoints[j], codePoints[j - 1]);
            }
        }

        return codePoints;
    }

    private static void DecomposeInto(int cp, List<int> output)
    {
        if (cp is >= HangulBase and < HangulBase + HangulCount)
        {
            var index = cp - HangulBase;
            output.Add(LeadingBase + index / (VowelCount * TrailingCount));
            output.Add(VowelBase + index % (VowelCount * TrailingCount) / TrailingCount);
            if (index % TrailingCount != 0)
            {
                output.Add(TrailingBase + index % TrailingCount);
            }
        }
        else if (s_decompositions.TryGetValue(cp, out var parts))
        {
            foreach (var part in parts)
            {
                DecomposeInto(part, output);
            }
        }
        else
        {
            output.Add(cp);
        }
    }

    // The canonical composition algorithm of the Unicode sample code: a character joins the last starter when a
    // primary composite exists and no character between them is a starter or of the same or a higher class.
    private static List<int> Compose(List<int> codePoints)
    {
        if (codePoints.Count == 0)
        {
            return codePoints;
        }

        var starterPosition = 0;
        var lastClass = CombiningClass(codePoints[0]) == 0 ? 0 : 256;
        var kept = 1;
        for (var i = 1; i < codePoints.Count; i++)
        {
            var cp = codePoints[i];
            var combiningClass = CombiningClass(cp);
            var composite = Composite(codePoints[starterPosition], cp);
            if (composite >= 0 && (lastClass < combiningClass || lastClass == 0))
            {
                codePoints[starterPosition] = composite;
                continue;
            }

            if (combiningClass == 0)
            {
                starterPosition = kept;
            }

            lastClass = combiningClass;
            codePoints[kept++] = cp;
        }

        codePoints.RemoveRange(kept, codePoints.Count - kept);
        return codePoints;
    }

    private static int Composite(int first, int second)
    {
        if (first is >= LeadingBase and < LeadingBase + 19 && second is >= VowelBase and < VowelBase + VowelCount)
        {
            return HangulBase + ((first - LeadingBase) * VowelCount + second - VowelBase) * TrailingCount;
        }

        if (first is >= HangulBase and < HangulBase + HangulCount && (first - HangulBase) % TrailingCount == 0
            && second is > TrailingBase and < TrailingBase + TrailingCount)
        {
            return first + second - TrailingBase;
        }

        return s_compositions.GetValueOrDefault(Pair(first, second), -1);
    }

    private static int CombiningClass(int cp) => s_combiningClasses.GetValueOrDefault(cp);

    private static string ToString(List<int> codePoints)
    {
        var builder = new StringBuilder(codePoints.Count);
        foreach (var cp in codePoints)
        {
            builder.AppendRune(new Rune(cp));
        }

        return builder.ToString();
    }

    private static int Hex(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static long Pair(int first, int second) => ((long)first << 32) | (uint)second;
}
