namespace AiPlatform.AppHost.Orchestration.Output;

/// <summary>
/// Writes every line of every resource prefixed with its name (<c>[gateway]  …</c>), padded so the text lines up,
/// coloured per resource when the console is a terminal. The AppHost's own messages carry <c>[apphost]</c> in bold,
/// errors in red and on stderr. Thread-safe: each line is written with one call.
/// </summary>
internal sealed class ConsoleReporter
{
    public const string AppHostName = "apphost";

    private const string Reset = "\e[0m";
    private const string Bold = "\e[1m";
    private const string Red = "\e[31m";

    private static readonly string[] s_palette = ["\e[36m", "\e[32m", "\e[33m", "\e[35m", "\e[34m", "\e[96m", "\e[92m", "\e[93m", "\e[95m", "\e[94m"];

    private readonly int _prefixWidth;
    private readonly bool _useColor;
    private readonly Dictionary<string, string> _colors = new(StringComparer.Ordinal);

    public ConsoleReporter(IEnumerable<string> resourceNames, bool useColor)
    {
        var names = resourceNames.Append(AppHostName).Distinct().ToList();
        _prefixWidth = names.Max(n => n.Length) + 2;
        _useColor = useColor;
        for (var i = 0; i < names.Count; i++)
        {
            _colors[names[i]] = s_palette[i % s_palette.Length];
        }
    }

    /// <summary>Colour only for a person at a terminal; NO_COLOR (no-color.org) turns it off.</summary>
    public static bool ConsoleSupportsColor =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public void ResourceLine(string resource, string line) =>
        Write(Console.Out, Prefix(resource, _colors.GetValueOrDefault(resource, "")) + line);

    public void Info(string message)
    {
        foreach (var line in message.Split('\n'))
        {
            Write(Console.Out, Prefix(AppHostName, Bold) + line.TrimEnd('\r'));
        }
    }

    /// <summary>
    /// Lines without the prefix, for text meant to be copied (commands, code), written in one call so that other
    /// resources' lines cannot come in between.
    /// </summary>
    public void Block(string text) => Write(Console.Out, text.TrimEnd('\n'));

    public void Error(string message)
    {
        foreach (var line in message.Split('\n'))
        {
            var text = line.TrimEnd('\r');
            Write(Console.Error, Prefix(AppHostName, Bold + Red) + (_useColor ? Red + text + Reset : text));
        }
    }

    /// <summary>A reader that went away (<c>| head</c>) must not crash the AppHost and strand its children.</summary>
    private static void Write(TextWriter writer, string line)
    {
        try
        {
            writer.WriteLine(line);
        }
        catch (IOException)
        {
            // Nobody reads any more; the run goes on until it is stopped.
        }
    }

    private string Prefix(string name, string color)
    {
        var prefix = $"[{name}]".PadRight(_prefixWidth) + " ";
        return _useColor && color.Length > 0 ? color + prefix + Reset : prefix;
    }
}
