using System.Globalization;
using System.Text;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>
/// Python's <c>datetime.strftime</c> as it behaves on Linux (glibc, C locale), for a naive local time: English names,
/// zero-padded numbers, glibc's <c>-</c> flag for no padding (<c>%-d</c>), empty <c>%Z</c>/<c>%z</c>.
/// </summary>
internal static class Strftime
{
    public static string Format(DateTime time, string format)
    {
        var builder = new StringBuilder(format.Length + 16);
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i == format.Length - 1)
            {
                builder.Append(format[i]);
                continue;
            }

            var pad = true;
            var directive = format[++i];
            if (directive == '-' && i < format.Length - 1)
            {
                pad = false;
                directive = format[++i];
            }

            builder.Append(Directive(time, directive, pad));
        }

        return builder.ToString();
    }

    private static string Directive(DateTime t, char directive, bool pad) => directive switch
    {
        'a' => t.DayOfWeek.ToString()[..3],
        'A' => t.DayOfWeek.ToString(),
        'b' or 'h' => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(t.Month),
        'B' => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(t.Month),
        'd' => Number(t.Day, 2, pad),
        'e' => pad ? t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) : Number(t.Day, 1, pad),
        'm' => Number(t.Month, 2, pad),
        'y' => Number(t.Year % 100, 2, pad),
        'Y' => t.Year.ToString(CultureInfo.InvariantCulture),
        'C' => Number(t.Year / 100, 2, pad),
        'H' => Number(t.Hour, 2, pad),
        'I' => Number(t.Hour % 12 == 0 ? 12 : t.Hour % 12, 2, pad),
        'M' => Number(t.Minute, 2, pad),
        'S' => Number(t.Second, 2, pad),
        'f' => Number((int)(t.Ticks % TimeSpan.TicksPerSecond / 10), 6, pad),
        'p' => t.Hour < 12 ? "AM" : "PM",
        'j' => Number(t.DayOfYear, 3, pad),
        'u' => Number(t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek, 1, pad),
        'w' => Number((int)t.DayOfWeek, 1, pad),
        'D' => Format(t, "%m/%d/%y"),
        'F' => Format(t, "%Y-%m-%d"),
        'T' => Format(t, "%H:%M:%S"),
        'R' => Format(t, "%H:%M"),
        'c' => Format(t, "%a %b %e %H:%M:%S %Y"),
        'x' => Format(t, "%m/%d/%y"),
        'X' => Format(t, "%H:%M:%S"),
        // A naive datetime has no zone, so Python prints nothing for these.
        'Z' or 'z' => "",
        'n' => "\n",
        't' => "\t",
        '%' => "%",
        _ => throw new TemplateError($"strftime directive '%{directive}' is not supported by this chat template engine"),
    };

    private static string Number(int value, int width, bool pad) =>
        value.ToString(CultureInfo.InvariantCulture).PadLeft(pad ? width : 1, '0');
}
