using System.Globalization;
using System.Text;

namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>Reads the Linux process table from /proc, to find what a run left behind.</summary>
internal static class ProcessTable
{
    /// <summary>One process's identity as /proc/&lt;pid&gt;/stat gives it.</summary>
    public sealed record Entry(int Pid, char State, int ParentPid, int Session);

    public static IReadOnlyList<Entry> All()
    {
        List<Entry> entries = [];
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>Null when the process is gone (or only a zombie waiting to be reaped, which holds nothing).</summary>
    public static Entry? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // "pid (comm) state ppid pgrp session ...": comm may contain spaces and parentheses, so parse after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var entry = new Entry(pid, fields[0][0], Parse(fields[1]), Parse(fields[3]));
        return entry.State == 'Z' ? null : entry;
    }

    /// <summary>Processes whose environment holds <paramref name="name"/>=<paramref name="value"/>.</summary>
    public static IReadOnlyList<int> WithEnvironmentVariable(string name, string value)
    {
        var needle = Encoding.UTF8.GetBytes($"{name}={value}\0");
        return [.. All().Where(e => EnvironmentOf(e.Pid) is { } environment && environment.AsSpan().IndexOf(needle) >= 0).Select(e => e.Pid)];
    }

    /// <summary>The value of <paramref name="name"/> in a process's environment, if it can be read.</summary>
    public static string? EnvironmentVariable(int pid, string name)
    {
        if (EnvironmentOf(pid) is not { } environment)
        {
            return null;
        }

        var prefix = $"{name}=";
        return Encoding.UTF8.GetString(environment).Split('\0').FirstOrDefault(v => v.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }

    private static byte[]? EnvironmentOf(int pid)
    {
        try
        {
            return File.ReadAllBytes($"/proc/{pid}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int Parse(string field) => int.Parse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
