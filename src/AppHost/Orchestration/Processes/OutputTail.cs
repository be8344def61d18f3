namespace AiPlatform.AppHost.Orchestration.Processes;

/// <summary>The last lines a process wrote, kept to explain why it failed. Thread-safe.</summary>
internal sealed class OutputTail(int capacity)
{
    private readonly Queue<string> _lines = new(capacity);
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The lines indented under a heading, or a note that there were none.</summary>
    public string Format()
    {
        var lines = Lines;
        return lines.Count == 0
            ? "It wrote no output."
            : $"Its last {lines.Count} lines of output:{Environment.NewLine}{string.Join(Environment.NewLine, lines.Select(l => "    " + l))}";
    }
}
