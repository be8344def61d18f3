using System.Globalization;
using System.Text;
using AiPlatform.AppHost.Orchestration.Processes;

namespace AiPlatform.AppHost.Orchestration.Output;

/// <summary>One line of the table printed once everything is ready.</summary>
internal sealed record StatusRow(string Resource, string State, string Address, int? Pid)
{
    /// <summary><paramref name="runningState"/> while the process runs; otherwise whether it never started or exited.</summary>
    public static string StateOf(ChildProcess? process, string runningState) => process switch
    {
        null => "not started",
        { Exited.IsCompleted: true } => $"exited ({process.Exited.Result})",
        _ => runningState,
    };
}

internal static class StatusTable
{
    public static string Format(IReadOnlyList<StatusRow> rows)
    {
        string[] header = ["RESOURCE", "STATE", "ADDRESS", "PID"];
        var cells = rows.Select(r => new[] { r.Resource, r.State, r.Address, r.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-" }).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => cells.Select(c => c[i].Length).Append(header[i].Length).Max()).ToArray();

        var text = new StringBuilder();
        foreach (var line in cells.Prepend(header))
        {
            text.Append("  ").Append(string.Join("   ", line.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }
}
