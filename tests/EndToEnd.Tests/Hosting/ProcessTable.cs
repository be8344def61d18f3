using System.Globalization;
using System.Text;

namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>Reads the Linux process table from /proc, to find what a run left behind.</summary>
internal static class ProcessTable
{
    /// <summary>Processes whose environment holds <paramref name="name"/>=<paramref name="value"/>.</summary>
    public static IReadOnlyList<int> WithEnvironmentVariable(string name, string value) =>
        Matching("environ", Encoding.UTF8.GetBytes($"{name}={value}\0"));

    /// <summary>Processes with <paramref name="text"/> in their command line (a data folder the servers were given).</summary>
    public static IReadOnlyList<int> WithCommandLineContaining(string text) =>
        Matching("cmdline", Encoding.UTF8.GetBytes(text));

    /// <summary>A process's command line, its arguments separated by spaces; empty when it is gone.</summary>
    public static string CommandLine(int pid) =>
        Read($"/proc/{pid}/cmdline") is { } cmdline ? Encoding.UTF8.GetString(cmdline).Replace('\0', ' ').Trim() : "";

    private static List<int> Matching(string file, byte[] needle)
    {
        List<int> pids = [];
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId
                && IsLive(pid)
                && Read($"/proc/{pid}/{file}") is { } content
                && content.AsSpan().IndexOf(needle) >= 0)
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    /// <summary>A zombie waiting to be reaped holds nothing: it does not count as left behind.</summary>
    private static bool IsLive(int pid) =>
        Read($"/proc/{pid}/stat") is { } stat && Encoding.ASCII.GetString(stat) is var text && text[(text.LastIndexOf(')') + 2)] != 'Z';

    private static byte[]? Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
